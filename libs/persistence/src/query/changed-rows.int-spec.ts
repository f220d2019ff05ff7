import { createTestDatabase, type TestDatabase } from '@mailkeep/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { changedRows } from './changed-rows.js';

describe('changedRows', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase('changed_rows');
    dataSource = new DataSource({ type: 'postgres', url: database.url });
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE item (id int PRIMARY KEY, n int NOT NULL)`);
    await dataSource.query(`INSERT INTO item VALUES (1, 0), (2, 0), (3, 5)`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives the rows an UPDATE … RETURNING returned, not TypeORM’s [rows, count] pair', async () => {
    const raw: unknown = await dataSource.query(`UPDATE item SET n = n + 1 WHERE n = 6 RETURNING id`);
    expect(raw).toEqual([[], 0]); // what TypeORM answers: the pitfall this helper exists for
    const rows = await changedRows<{ id: number }>(
      dataSource,
      `UPDATE item SET n = n + 1 WHERE n = 0 RETURNING id`,
      [],
    );
    expect(rows.map((row) => row.id).sort()).toEqual([1, 2]);
    expect(await changedRows(dataSource, `DELETE FROM item WHERE id = $1 RETURNING id`, [3])).toEqual([
      { id: 3 },
    ]);
  });

  it('passes rows of a SELECT through', async () => {
    expect(await changedRows(dataSource, `SELECT id FROM item WHERE id = $1`, [1])).toEqual([{ id: 1 }]);
  });
});
