import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { MIGRATIONS_TABLE_NAME } from './data-source.js';
import { clientConfigOf, closeQuietly, connectClient, postgresOptionsOf, schemaOf } from './pg-client.js';

/** Prefix of the string hashed into the lock key, so our keys cannot collide with another tool's. */
const LOCK_KEY_NAMESPACE = 'mailkeep.migrations.';

/**
 * How long an instance waits for another one's migrations before giving up. Ten minutes covers
 * building an index on a large catalog table; past that the holder is more likely stuck than busy,
 * and failing start-up (the orchestrator retries) is better than hanging without a word. A holder
 * that dies releases the lock at once, because it is a session lock.
 */
export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 10 * 60_000;

export interface MigrationRunOptions {
  /** Progress messages (waiting for the lock, applied migrations); pass the service logger. */
  readonly log?: (message: string) => void;
  /** Defaults to {@link DEFAULT_MIGRATION_LOCK_TIMEOUT_MS}. */
  readonly lockTimeoutMs?: number;
}

/**
 * The advisory lock key for a schema: the first 8 bytes of SHA-256 over `mailkeep.migrations.<schema>`,
 * as a signed 64-bit integer. Computed in JS so it is the same on every PostgreSQL version
 * (`hashtext` is internal and has changed between major versions). Find the holder with
 * `SELECT * FROM pg_locks WHERE locktype = 'advisory'`.
 */
export function migrationLockKey(schema: string): bigint {
  return createHash('sha256')
    .update(LOCK_KEY_NAMESPACE + schema)
    .digest()
    .readBigInt64BE(0);
}

/**
 * Applies the pending migrations of the DataSource's schema and resolves the names of those applied
 * (empty when none were pending). Initialises the DataSource if needed; the caller still owns it.
 *
 * Holds a session advisory lock on a dedicated connection for the whole run, so that instances
 * starting together apply each migration exactly once: the others wait, then find nothing pending.
 * Creates the schema first, because TypeORM creates its migrations table inside it.
 */
export async function runMigrations(
  dataSource: DataSource,
  options: MigrationRunOptions = {},
): Promise<string[]> {
  const log = options.log ?? noLog;
  return withMigrationLock(dataSource, options, async (schema) => {
    if (!dataSource.isInitialized) await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: transactionModeOf(dataSource) });
    const names = applied.map((migration) => migration.name);
    log(
      names.length === 0
        ? `Schema "${schema}" is up to date`
        : `Applied ${names.length} migration(s) to schema "${schema}": ${names.join(', ')}`,
    );
    return names;
  });
}

/**
 * Reverts the most recently applied migration of the DataSource's schema, under the same lock as
 * {@link runMigrations}. Resolves its name, or `undefined` when no migration has been applied.
 */
export async function revertLastMigration(
  dataSource: DataSource,
  options: MigrationRunOptions = {},
): Promise<string | undefined> {
  const log = options.log ?? noLog;
  return withMigrationLock(dataSource, options, async (schema, lockClient) => {
    if (!dataSource.isInitialized) await dataSource.initialize();
    const table = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(migrationsTableOf(dataSource))}`;
    const exists = await lockClient.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [
      table,
    ]);
    if (exists.rows[0]?.found == null) return undefined;
    // Same order as TypeORM's undoLastMigration: the row inserted last.
    const last = await lockClient.query<{ name: string }>(
      `SELECT name FROM ${table} ORDER BY id DESC LIMIT 1`,
    );
    const name = last.rows[0]?.name;
    if (name === undefined) return undefined;
    await dataSource.undoLastMigration({ transaction: transactionModeOf(dataSource) });
    log(`Reverted migration ${name} of schema "${schema}"`);
    return name;
  });
}

async function withMigrationLock<T>(
  dataSource: DataSource,
  options: MigrationRunOptions,
  work: (schema: string, lockClient: pg.Client) => Promise<T>,
): Promise<T> {
  const schema = schemaOf(dataSource);
  const log = options.log ?? noLog;
  const key = migrationLockKey(schema).toString();
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS;

  // A connection of its own, outside TypeORM's pool: the lock must outlive the connections TypeORM
  // checks out and returns while migrating, and must not take a pool slot the migrations need.
  const lockClient = await connectClient(clientConfigOf(dataSource, ':migration-lock'));
  try {
    // lock_timeout applies to advisory lock waits too; set for this session only.
    await lockClient.query("SELECT set_config('lock_timeout', $1, false)", [`${lockTimeoutMs}ms`]);
    log(`Waiting for the migration lock of schema "${schema}"`);
    await lockClient.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    try {
      await lockClient.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      return await work(schema, lockClient);
    } finally {
      try {
        await lockClient.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      } catch {
        // The connection is gone, and with it the session's locks; keep the error that got us here.
      }
    }
  } finally {
    await closeQuietly(lockClient);
  }
}

function migrationsTableOf(dataSource: DataSource): string {
  return postgresOptionsOf(dataSource).migrationsTableName ?? MIGRATIONS_TABLE_NAME;
}

function transactionModeOf(dataSource: DataSource): 'all' | 'none' | 'each' {
  return postgresOptionsOf(dataSource).migrationsTransactionMode ?? 'each';
}

function noLog(): void {
  // Logging is opt-in: the library has no logger of its own.
}
