import './instrument.js';

import { ExchangeEnv, loadConfig } from '@mailkeep/config';
import { runConnectorService } from '@mailkeep/connector-kit';

import { exchangeConnector } from './exchange-connector.js';
import { EwsAccess } from './protocol/ews-access.js';

// The kit's service reads the shared connector settings; the EWS URL template is this connector's
// own, validated here before anything starts (a bad value names the variable).
const env = loadConfig(ExchangeEnv);

await runConnectorService(exchangeConnector(new EwsAccess(env.MAILKEEP_EXCHANGE_URL_TEMPLATE)));
