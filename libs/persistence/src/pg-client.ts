import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from './data-source.js';

/** Same bound as the pool's: a dedicated client must not hang forever on an unreachable server. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Opens a single pg client (outside any pool) and makes sure a later socket error cannot crash the process. */
export async function connectClient(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...config });
  // pg emits 'error' when an idle client loses its connection; without a listener Node would throw.
  // The failure still surfaces: the next query on this client rejects.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Connection settings of a DataSource, for a dedicated client that talks to the same database. */
export function clientConfigOf(dataSource: DataSource, applicationNameSuffix: string): pg.ClientConfig {
  const options = postgresOptionsOf(dataSource);
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
    // TypeORM types this as node's TlsOptions, pg as ConnectionOptions; both are handed to tls.connect.
    ssl: options.ssl as pg.ClientConfig['ssl'],
    application_name: `${options.applicationName ?? 'mailkeep'}${applicationNameSuffix}`,
  };
}

export function postgresOptionsOf(dataSource: DataSource): PostgresDataSourceOptions {
  const { options } = dataSource;
  if (options.type !== 'postgres') {
    throw new Error(`@mailkeep/persistence supports PostgreSQL only, got a "${options.type}" DataSource`);
  }
  return options;
}

/** The schema a DataSource is bound to; everything here is per schema, so it must be set. */
export function schemaOf(dataSource: DataSource): string {
  const { schema } = postgresOptionsOf(dataSource);
  if (!schema) throw new Error('The DataSource has no schema; create it with createDataSource()');
  return schema;
}

/**
 * Closes a client; a failure here (connection already gone) must not replace the error that made
 * the caller give up, and a dead connection has released its session state anyway.
 */
export async function closeQuietly(client: pg.Client): Promise<void> {
  try {
    await client.end();
  } catch {
    // Nothing to do: the server drops the session, and its advisory locks, when the socket closes.
  }
}
