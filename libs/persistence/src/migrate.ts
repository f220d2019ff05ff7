import { createDataSource } from './data-source.js';
import { ensureDatabase } from './ensure-database.js';
import { runMigrations, type MigrationRunOptions } from './migrations.js';
import type { ServiceSchema } from './service-schema.js';

/**
 * Two connections: the migration runner holds one for its transaction, and a migration that also
 * queries through the DataSource (rather than its query runner) must not wait for that one forever.
 */
const MIGRATE_POOL_SIZE = 2;

/**
 * One-shot migration of one service: creates the database if missing, applies the pending migrations
 * of the service's schema under the advisory lock, and closes its connections. Resolves the names
 * of the migrations applied. For the `mailkeep migrate` command and deployment jobs.
 */
export async function migrate(
  url: string,
  service: ServiceSchema,
  options: MigrationRunOptions = {},
): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = createDataSource({
    url,
    ...service,
    poolSize: MIGRATE_POOL_SIZE,
    applicationName: `mailkeep-migrate-${service.schema}`,
  });
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource, options);
  } finally {
    await dataSource.destroy();
  }
}
