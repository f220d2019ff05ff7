import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  TEST_DATABASE_ADMIN_URL,
  testDatabaseName,
  type TestDatabase,
} from './postgres.js';

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('testDatabaseName', () => {
  it('is lowercase, prefixed, unique and at most 63 characters', () => {
    const long = testDatabaseName(`Some-Very Long/Prefix ${'x'.repeat(100)}`);
    expect(long).toMatch(/^mk_test_some_very_long_prefix_x+_[0-9a-f]{12}$/);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(testDatabaseName('a')).not.toBe(testDatabaseName('a'));
    expect(testDatabaseName('!!!')).toMatch(/^mk_test_db_[0-9a-f]{12}$/);
  });
});

describe('createTestDatabase', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('creates a database that can be connected to', async () => {
    database = await createTestDatabase('testing_create');
    expect(database.name).toMatch(/^mk_test_testing_create_[0-9a-f]{12}$/);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ db: string }>('SELECT current_database() AS db');
      expect(result.rows[0]?.db).toBe(database.name);
    } finally {
      await client.end();
    }
  });

  it('drops the database even while a connection is open, and tolerates a second drop', async () => {
    database = await createTestDatabase('testing_drop');
    const client = new pg.Client({ connectionString: database.url });
    const terminated = new Promise<Error>((resolve) => client.on('error', resolve));
    await client.connect();

    await database.drop();

    expect(await databaseExists(database.name)).toBe(false);
    // The open session was terminated by the server rather than left to block the DROP.
    await expect(terminated).resolves.toBeInstanceOf(Error);
    await expect(database.drop()).resolves.toBeUndefined();
    await client.end().catch(() => undefined);
  });
});
