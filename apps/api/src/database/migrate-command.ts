import { DatabaseEnv, loadConfig } from '@mailkeep/config';
import { createLogger } from '@mailkeep/observability';
import { migrate } from '@mailkeep/persistence';

import { API_SCHEMA } from './api-schema.js';

/** `node apps/api/dist/main.js migrate`: applies the api's migrations and exits (for deployments). */
export async function migrateApi(): Promise<void> {
  const config = loadConfig(DatabaseEnv);
  const logger = createLogger({ service: 'api' });
  const applied = await migrate(config.MAILKEEP_DATABASE_URL, API_SCHEMA);
  logger.info('migrations applied', { schema: API_SCHEMA.schema, applied });
}
