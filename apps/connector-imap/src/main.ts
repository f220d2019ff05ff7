import './instrument.js';

import { runConnectorService } from '@mailkeep/connector-kit';

import { imapConnector } from './imap-connector.js';

await runConnectorService(imapConnector);
