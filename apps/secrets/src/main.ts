import './instrument.js';

import { runService } from '@mailkeep/runtime';

import { SECRETS_SCHEMA } from './database/secrets-schema.js';
import { rotateMasterKeyCommand } from './rotation/rotate-command.js';
import { SecretsModule } from './secrets/secrets.module.js';
import { SecretsEnv } from './secrets.env.js';

// The rotation command runs beside the live service (it is not a service start), so it is
// handled before runService, which knows only `migrate`.
if (process.argv[2] === 'rotate-master-key') {
  process.exitCode = await rotateMasterKeyCommand();
} else {
  await runService({
    name: 'secrets',
    env: SecretsEnv,
    schema: SECRETS_SCHEMA,
    module: (context) => SecretsModule.forRoot(context),
  });
}
