import './instrument.js';

import { runConnectorService } from '@mailkeep/connector-kit';

import { pop3Connector } from './pop3-connector.js';

await runConnectorService(pop3Connector);
