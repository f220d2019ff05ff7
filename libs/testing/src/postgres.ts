import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the integration tests use; the test command makes sure it runs. */
export const TEST_DATABASE_ADMIN_URL =
  process.env.MAILKEEP_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** PostgreSQL truncates longer identifiers silently; the URL would then name a database that does not exist. */
const MAX_DATABASE_NAME_LENGTH = 63;

const NAME_PREFIX = 'mk_test_';

/** 12 hex characters (48 random bits): parallel test files and repeated runs never pick the same name. */
const RANDOM_SUFFIX_BYTES = 6;

/** A test file's tests fail rather than hang when the server does not answer. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as the admin URL). */
  readonly url: string;
  /** `mk_test_<prefix>_<random>`, lowercase, at most 63 characters. */
  readonly name: string;
  /** Disconnects everyone and drops the database; safe to call more than once. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database of its own for one test file, so that test files can run in parallel
 * against one server. Call `drop()` in `afterAll`.
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = testDatabaseName(prefix);
  await withAdminClient((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(TEST_DATABASE_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropTestDatabase(name),
  };
}

/** `mk_test_<prefix>_<random>` with the prefix reduced to `[a-z0-9_]` and shortened to fit 63 characters. */
export function testDatabaseName(prefix: string): string {
  const suffix = randomBytes(RANDOM_SUFFIX_BYTES).toString('hex');
  const room = MAX_DATABASE_NAME_LENGTH - NAME_PREFIX.length - suffix.length - 1;
  const cleaned =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, room)
      .replace(/_+$/, '') || 'db';
  return `${NAME_PREFIX}${cleaned}_${suffix}`;
}

async function dropTestDatabase(name: string): Promise<void> {
  await withAdminClient(async (client) => {
    // Connections a test forgot to close (or a pool still shutting down) would block DROP DATABASE.
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    // FORCE (PostgreSQL 13+) also covers a connection that arrives between the two statements.
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_ADMIN_URL,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'mailkeep-tests',
  });
  // An idle-connection error must not crash the test process; the next query reports it.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
