import { assertNoSchemaDrift, createDataSource, runMigrations } from '@mailkeep/persistence';
import { createTestDatabase, type TestDatabase } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CATALOG_SCHEMA } from './catalog-schema.js';

describe('catalog schema', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('catalog_schema');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('has migrations that build exactly the entities, the indexes the queries rely on, and a down', async () => {
    const dataSource = createDataSource({ url: database.url, ...CATALOG_SCHEMA });
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      await assertNoSchemaDrift(dataSource);
      const indexes = await dataSource.query<{ indexname: string }[]>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'catalog' ORDER BY indexname`,
      );
      expect(indexes.map((row) => row.indexname)).toEqual(
        expect.arrayContaining([
          'ux_message_source',
          'ix_message_folder_sort',
          'ix_message_search',
          'ix_message_text_queue',
          'pk_message_content',
          'ix_message_from_addresses',
          'ix_message_recipient_addresses',
          'ux_integrity_check_running',
        ]),
      );
      // Every migration has a down: undone newest first, nothing of the catalog is left.
      for (let undone = 0; undone < (CATALOG_SCHEMA.migrations?.length ?? 0); undone += 1) {
        await dataSource.undoLastMigration();
      }
      const left = await dataSource.query<unknown[]>(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'catalog' AND table_name IN ('message', 'integrity_check', 'integrity_finding')`,
      );
      expect(left).toHaveLength(0);
    } finally {
      await dataSource.destroy();
    }
  });
});
