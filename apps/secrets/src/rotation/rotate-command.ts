import { loadConfig } from '@mailkeep/config';
import { createLogger } from '@mailkeep/observability';
import { createDataSource, runMigrations } from '@mailkeep/persistence';

import { loadMasterKeyRing } from '../crypto/master-key-ring.js';
import { SECRETS_SCHEMA } from '../database/secrets-schema.js';
import { SecretsRepository } from '../secrets/secrets.repository.js';
import { SecretsEnv } from '../secrets.env.js';
import { rotateMasterKey } from './master-key-rotation.js';

/**
 * `node apps/secrets/dist/main.js rotate-master-key`: re-wraps every data key with
 * MAILKEEP_MASTER_KEY. Run it after every instance was restarted with the new key as
 * MAILKEEP_MASTER_KEY and the old one in MAILKEEP_MASTER_KEY_PREVIOUS.
 */
export async function rotateMasterKeyCommand(): Promise<number> {
  const config = loadConfig(SecretsEnv);
  const logger = createLogger({ service: 'secrets', level: config.MAILKEEP_LOG_LEVEL });
  const ring = loadMasterKeyRing(config, logger);
  const dataSource = createDataSource({ url: config.MAILKEEP_DATABASE_URL, ...SECRETS_SCHEMA });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const result = await rotateMasterKey(new SecretsRepository(dataSource), ring, logger);
    logger.info('master key rotation finished', { keyId: ring.current.id, rewrapped: result.rewrapped });
    return 0;
  } finally {
    await dataSource.destroy();
  }
}
