import { DataSource, type DataSourceOptions, type Logger } from 'typeorm';
import { SnakeNamingStrategy } from './naming/snake-naming.strategy.js';
import { assertValidSchemaName, type ServiceSchema } from './service-schema.js';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/**
 * The migrations table lives in the service's own schema (TypeORM qualifies it with `schema`), so
 * each service has its own history and services can be migrated independently.
 */
export const MIGRATIONS_TABLE_NAME = 'migrations';

/**
 * Five connections per process. The services are mostly I/O-bound on NATS and storage, and their
 * queries are short; five lets a handful of handlers query at once. Five database-owning services
 * × 5 connections × 3 replicas = 75, below PostgreSQL's default max_connections of 100 with room
 * for migrations and psql. A service that needs more passes `poolSize` explicitly.
 */
export const DEFAULT_POOL_SIZE = 5;

/**
 * How long to wait for a TCP connection + authentication. pg's default is to wait forever, which turns
 * an unreachable database into a hung start-up instead of an error that names the cause.
 */
const CONNECT_TIMEOUT_MS = 10_000;

export interface CreateDataSourceOptions extends ServiceSchema {
  /** `postgres://user:password@host:port/database`; query parameters such as `sslmode` are passed to pg. */
  readonly url: string;
  /** Maximum connections in the pool; defaults to {@link DEFAULT_POOL_SIZE}. */
  readonly poolSize?: number;
  /** Shown in `pg_stat_activity.application_name`; defaults to `mailkeep-<schema>`. */
  readonly applicationName?: string;
  /**
   * Receives TypeORM's query errors and migration messages. Without one TypeORM writes some of them
   * (e.g. a failed migration) to the console; services pass an adapter to the shared logger.
   */
  readonly logger?: Logger;
}

/**
 * Creates an uninitialised TypeORM DataSource for PostgreSQL bound to one service schema.
 *
 * Never synchronises and never runs migrations by itself: call {@link runMigrations} (start-up) or
 * {@link migrate} (one-shot command), which take the advisory lock first.
 */
export function createDataSource(options: CreateDataSourceOptions): DataSource {
  assertValidSchemaName(options.schema);
  const dataSourceOptions: PostgresDataSourceOptions = {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: [...options.entities],
    migrations: [...options.migrations],
    migrationsTableName: MIGRATIONS_TABLE_NAME,
    // One transaction per migration: a failure rolls back only that migration, and a migration may opt
    // out (`transaction = false`) for statements such as CREATE INDEX CONCURRENTLY.
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    dropSchema: false,
    namingStrategy: new SnakeNamingStrategy(),
    poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    applicationName: options.applicationName ?? `mailkeep-${options.schema}`,
    ...(options.logger ? { logger: options.logger } : {}),
    // Extensions are schema changes too and belong in migrations; TypeORM would otherwise try to
    // CREATE EXTENSION at every start-up, which needs privileges a service should not have.
    installExtensions: false,
    // Generated uuid defaults use gen_random_uuid(), built into PostgreSQL since 13, so no extension
    // is needed at all (the "uuid-ossp" default would need uuid_generate_v4()).
    uuidExtension: 'pgcrypto',
  };
  return new DataSource(dataSourceOptions);
}
