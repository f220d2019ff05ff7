import { assertNoSchemaDrift, createDataSource, runMigrations } from '@mailkeep/persistence';
import { createTestDatabase, type TestDatabase } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SCHEDULER_SCHEMA } from './scheduler-schema.js';

describe('scheduler schema', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('scheduler_schema');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('has migrations that build exactly the entities, and the partial indexes the guards rely on', async () => {
    const dataSource = createDataSource({ url: database.url, ...SCHEDULER_SCHEMA });
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      await assertNoSchemaDrift(dataSource);
      const indexes = await dataSource.query<{ indexname: string }[]>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'scheduler' ORDER BY indexname`,
      );
      expect(indexes.map((row) => row.indexname)).toEqual(
        expect.arrayContaining([
          'ix_schedule_due',
          'ux_run_active_profile',
          'ux_run_schedule_slot',
          'ix_run_unfinished',
          'ux_task_run_mailbox',
        ]),
      );
      await dataSource.undoLastMigration();
      await dataSource.undoLastMigration();
      const left = await dataSource.query<unknown[]>(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'scheduler' AND table_name IN ('schedule', 'run', 'task', 'run_log')`,
      );
      expect(left).toHaveLength(0);
    } finally {
      await dataSource.destroy();
    }
  });
});
