import { checkServiceSchema } from '@mailkeep/testing';
import { describe, expect, it } from 'vitest';

import { SCHEDULER_SCHEMA } from './scheduler-schema.js';

describe('scheduler schema', () => {
  it('has migrations that build exactly the entities, and the partial indexes the guards rely on', async () => {
    await checkServiceSchema(SCHEDULER_SCHEMA, async (dataSource) => {
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
    });
  });
});
