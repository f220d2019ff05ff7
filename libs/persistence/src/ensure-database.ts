import pg from 'pg';
import { closeQuietly, connectClient } from './pg-client.js';
import { postgresErrorOf, PostgresErrorCode } from './postgres-errors.js';

/** PostgreSQL silently truncates longer identifiers; we would create one database and connect to another. */
const MAX_DATABASE_NAME_BYTES = 63;

/** Present on every PostgreSQL server and the documented place to connect to for CREATE DATABASE. */
const DEFAULT_MAINTENANCE_DATABASE = 'postgres';

export interface EnsureDatabaseOptions {
  /** Database to connect to while creating the target; defaults to `postgres`. */
  readonly maintenanceDatabase?: string;
}

/**
 * Creates the database named in `url` if it does not exist yet. Resolves `true` if this call created
 * it, `false` if it already existed (or a concurrent caller created it first).
 *
 * Connects to the target first: when that works nothing else is needed, so a role without CREATEDB
 * (or without access to the maintenance database) succeeds when the database was provisioned
 * beforehand. Otherwise connects to the maintenance database on the same server with the same
 * credentials and creates it.
 */
export async function ensureDatabase(url: string, options: EnsureDatabaseOptions = {}): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (name === '') throw new Error('The database URL names no database');
  if (Buffer.byteLength(name, 'utf8') > MAX_DATABASE_NAME_BYTES) {
    throw new Error(`Database name ${JSON.stringify(name)} is longer than ${MAX_DATABASE_NAME_BYTES} bytes`);
  }

  if (await databaseAccepts(url)) return false;

  const maintenance = new URL(url);
  maintenance.pathname = `/${encodeURIComponent(options.maintenanceDatabase ?? DEFAULT_MAINTENANCE_DATABASE)}`;
  const client = await connectClient({
    connectionString: maintenance.toString(),
    application_name: 'mailkeep-ensure-database',
  });
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount !== 0) return false;
    // CREATE DATABASE takes no bind parameters; the identifier is quoted (and embedded quotes doubled).
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return true;
  } catch (err) {
    // Lost a race with another process: it either committed first (duplicate_database) or we both
    // inserted into pg_database at once (unique_violation on pg_database_datname_index).
    const code = postgresErrorOf(err)?.code;
    if (code === PostgresErrorCode.DuplicateDatabase || code === PostgresErrorCode.UniqueViolation)
      return false;
    throw err;
  } finally {
    await closeQuietly(client);
  }
}

/** True when the database exists and accepts us; false only when it does not exist (3D000). */
async function databaseAccepts(url: string): Promise<boolean> {
  try {
    const client = await connectClient({
      connectionString: url,
      application_name: 'mailkeep-ensure-database',
    });
    await closeQuietly(client);
    return true;
  } catch (err) {
    if (postgresErrorOf(err)?.code === PostgresErrorCode.InvalidCatalogName) return false;
    throw err;
  }
}
