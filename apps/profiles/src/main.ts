import './instrument.js';

import { DOMAIN_EVENTS_STREAM } from '@mailkeep/contracts';
import { runService } from '@mailkeep/runtime';

import { PROFILES_SCHEMA } from './database/profiles-schema.js';
import { ProfilesEnv } from './profiles.env.js';
import { ProfilesModule } from './profiles/profiles.module.js';

await runService({
  name: 'profiles',
  env: ProfilesEnv,
  schema: PROFILES_SCHEMA,
  streams: [DOMAIN_EVENTS_STREAM],
  module: () => ProfilesModule.forRoot(),
});
