import { assertNoSchemaDrift, createDataSource, runMigrations } from '@mailkeep/persistence';
import { createTestDatabase, type TestDatabase } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DIRECTORY_SCHEMA } from './directory-schema.js';

describe('directory schema', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('directory_schema');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('has migrations that build exactly what the entities describe, and revert cleanly', async () => {
    const dataSource = createDataSource({ url: database.url, ...DIRECTORY_SCHEMA });
    await dataSource.initialize();
    try {
      expect(await runMigrations(dataSource)).toEqual(DIRECTORY_SCHEMA.migrations.map((m) => m.name));
      await assertNoSchemaDrift(dataSource);
      for (const _ of DIRECTORY_SCHEMA.migrations) await dataSource.undoLastMigration();
      const tables: unknown[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'directory' AND table_name <> 'migrations'`,
      );
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
