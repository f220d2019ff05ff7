import './instrument.js';

import { GoogleEnv, loadConfig } from '@mailkeep/config';
import { runConnectorService } from '@mailkeep/connector-kit';

import { googleConnector } from './google-connector.js';
import { GoogleAccess } from './protocol/google-access.js';

// The kit's service reads the shared connector settings; the Google endpoints are this
// connector's own, validated here before anything starts (a bad value names the variable).
const env = loadConfig(GoogleEnv);
const access = new GoogleAccess({
  tokenUrl: env.MAILKEEP_GOOGLE_TOKEN_URL,
  gmailUrl: env.MAILKEEP_GOOGLE_GMAIL_URL,
  adminUrl: env.MAILKEEP_GOOGLE_ADMIN_URL,
});

await runConnectorService(googleConnector(access));
