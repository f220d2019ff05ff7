import './instrument.js';

import { Egress, EgressPolicy } from '@mailkeep/egress';
import { runService } from '@mailkeep/runtime';

import { DIRECTORY_SCHEMA } from './database/directory-schema.js';
import { DirectoryEnv } from './directory.env.js';
import { DirectoryModule } from './directory.module.js';

await runService({
  name: 'directory',
  env: DirectoryEnv,
  schema: DIRECTORY_SCHEMA,
  module: ({ config }) =>
    DirectoryModule.forRoot({
      m365: { authorityUrl: config.MAILKEEP_M365_AUTHORITY_URL, graphUrl: config.MAILKEEP_M365_GRAPH_URL },
      google: {
        tokenUrl: config.MAILKEEP_GOOGLE_TOKEN_URL,
        gmailUrl: config.MAILKEEP_GOOGLE_GMAIL_URL,
        adminUrl: config.MAILKEEP_GOOGLE_ADMIN_URL,
      },
      egress: new Egress(EgressPolicy.fromEntries(config.MAILKEEP_EGRESS_ALLOW, config.MAILKEEP_EGRESS_DENY)),
    }),
});
