import { assertNoSchemaDrift, createDataSource, runMigrations } from '@mailkeep/persistence';
import { createTestDatabase, type TestDatabase } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { API_SCHEMA } from './api-schema.js';

describe('api schema', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('api_schema');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('has migrations that build exactly what the entities describe, and revert cleanly', async () => {
    const dataSource = createDataSource({ url: database.url, ...API_SCHEMA });
    await dataSource.initialize();
    try {
      expect(await runMigrations(dataSource)).toEqual(API_SCHEMA.migrations.map((m) => m.name));
      await assertNoSchemaDrift(dataSource);
      for (const _migration of API_SCHEMA.migrations) await dataSource.undoLastMigration();
      const tables: unknown[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'api' AND table_name <> 'migrations'`,
      );
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
