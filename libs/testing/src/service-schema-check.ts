import {
  assertNoSchemaDrift,
  createDataSource,
  runMigrations,
  type ServiceSchema,
} from '@mailkeep/persistence';
import type { DataSource } from 'typeorm';

import { createTestDatabase } from './postgres.js';

/**
 * The check every service's schema passes, in a database of its own: all migrations apply in the
 * listed order, the tables they build are exactly what the entities describe (no drift), and each
 * migration's `down` reverts it until no table of the schema is left. `whileMigrated` adds the
 * service's own checks (indexes its queries rely on, query plans) before the migrations are reverted.
 * Throws naming what failed.
 */
export async function checkServiceSchema(
  schema: ServiceSchema,
  whileMigrated?: (dataSource: DataSource) => Promise<void>,
): Promise<void> {
  const database = await createTestDatabase(`${schema.schema}_schema`);
  const dataSource = createDataSource({ url: database.url, ...schema });
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    const expected = schema.migrations.map((migration) => new migration().name);
    if (applied.join() !== expected.join()) {
      throw new Error(`${schema.schema}: applied ${applied.join(', ')}; expected ${expected.join(', ')}`);
    }
    await assertNoSchemaDrift(dataSource);
    await whileMigrated?.(dataSource);
    for (const _migration of schema.migrations) await dataSource.undoLastMigration();
    const left = await dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'migrations'`,
      [schema.schema],
    );
    if (left.length > 0) {
      throw new Error(
        `${schema.schema}: reverting every migration left ${left.map((t) => t.table_name).join(', ')}`,
      );
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}
