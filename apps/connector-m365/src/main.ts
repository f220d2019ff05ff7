import './instrument.js';

import { loadConfig, M365Env } from '@mailkeep/config';
import { runConnectorService } from '@mailkeep/connector-kit';

import { m365Connector } from './m365-connector.js';
import { GraphAccess } from './protocol/graph-access.js';

// The kit's service reads the shared connector settings; the Graph endpoints and the request cap
// are this connector's own, validated here before anything starts (a bad value names the variable).
const env = loadConfig(M365Env);
const access = new GraphAccess(
  { authorityUrl: env.MAILKEEP_M365_AUTHORITY_URL, graphUrl: env.MAILKEEP_M365_GRAPH_URL },
  env.MAILKEEP_M365_REQUESTS_IN_FLIGHT,
);

await runConnectorService(m365Connector(access));
