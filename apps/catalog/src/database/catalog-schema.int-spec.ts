import { checkServiceSchema } from '@mailkeep/testing';
import { describe, expect, it } from 'vitest';

import { CATALOG_SCHEMA } from './catalog-schema.js';

describe('catalog schema', () => {
  it('has migrations that build exactly the entities, the indexes the queries rely on, and a down', async () => {
    await checkServiceSchema(CATALOG_SCHEMA, async (dataSource) => {
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
    });
  });
});
