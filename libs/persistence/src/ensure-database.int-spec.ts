import { createTestDatabase, TEST_DATABASE_ADMIN_URL, type TestDatabase } from '@mailkeep/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from './ensure-database.js';

const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/**
 * A unique database name that does not exist yet: the testing helper picks the name and drops the
 * database again, so ensureDatabase has something to create, and the helper's drop cleans up after.
 */
async function absentDatabase(prefix: string): Promise<TestDatabase> {
  const database = await createTestDatabase(prefix);
  cleanups.push(() => database.drop());
  await database.drop();
  return database;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function countDatabases(name: string): Promise<number> {
  return withAdmin(async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount ?? 0;
  });
}

describe('ensureDatabase', () => {
  it('creates a missing database once and is idempotent afterwards', async () => {
    const database = await absentDatabase('ensure_once');
    expect(await countDatabases(database.name)).toBe(0);

    await expect(ensureDatabase(database.url)).resolves.toBe(true);
    await expect(ensureDatabase(database.url)).resolves.toBe(false);

    expect(await countDatabases(database.name)).toBe(1);
  });

  it('lets five concurrent callers succeed, exactly one of them creating the database', async () => {
    const database = await absentDatabase('ensure_race');

    const results = await Promise.all(Array.from({ length: 5 }, () => ensureDatabase(database.url)));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await countDatabases(database.name)).toBe(1);
  });

  it('quotes the database name, so quotes, spaces and capitals are taken literally', async () => {
    const base = await absentDatabase('ensure_quote');
    const name = `${base.name}_Odd "Name`;
    const url = new URL(base.url);
    url.pathname = `/${encodeURIComponent(name)}`;
    cleanups.push(() =>
      withAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      }),
    );

    await expect(ensureDatabase(url.toString())).resolves.toBe(true);
    // pg decodes the URL the same way: the second call connects to the very database just created.
    await expect(ensureDatabase(url.toString())).resolves.toBe(false);

    expect(await countDatabases(name)).toBe(1);
  });

  it('rejects a URL without a database name or with one PostgreSQL would truncate', async () => {
    await expect(ensureDatabase('postgres://postgres@127.0.0.1:5432/')).rejects.toThrow(/names no database/);
    await expect(ensureDatabase(`postgres://postgres@127.0.0.1:5432/${'x'.repeat(64)}`)).rejects.toThrow(
      /longer than 63/,
    );
  });
});
