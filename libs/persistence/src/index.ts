export { snakeCase } from './naming/snake-case.js';
export { SnakeNamingStrategy } from './naming/snake-naming.strategy.js';
export type { EntityClass, MigrationClass, ServiceSchema } from './service-schema.js';
export {
  createDataSource,
  DEFAULT_POOL_SIZE,
  MIGRATIONS_TABLE_NAME,
  type CreateDataSourceOptions,
  type PostgresDataSourceOptions,
} from './data-source.js';
export { ensureDatabase, type EnsureDatabaseOptions } from './ensure-database.js';
export {
  DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
  migrationLockKey,
  revertLastMigration,
  runMigrations,
  type MigrationRunOptions,
} from './migrations.js';
export { assertNoSchemaDrift, findSchemaDrift, SchemaDriftError } from './schema-drift.js';
export { migrate } from './migrate.js';
export {
  isForeignKeyViolation,
  isUniqueViolation,
  postgresErrorOf,
  PostgresErrorCode,
  type PostgresErrorFields,
} from './postgres-errors.js';
export { TenantScoped } from './entity/tenant-scoped.js';
export { changedRows } from './query/changed-rows.js';
export { containsPattern, escapeLikePattern, searchAsId } from './query/search.js';
export {
  decodeCursor,
  type CursorSortKey,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  InvalidCursorError,
  keysetPage,
  MAX_PAGE_SIZE,
  type KeysetCursor,
} from './query/cursor.js';
export { PersistenceModule, type PersistenceModuleOptions } from './nest/persistence.module.js';
export { writeBeforeCommit, type BeforeCommit } from './query/write-before-commit.js';
export {
  createTableStatements,
  firstMigration,
  ID_COLUMN,
  TENANT_ID_COLUMN,
  TIMESTAMP_COLUMNS,
  type ColumnDefinitions,
  type IndexDefinition,
  type TableDefinition,
} from './migration/first-migration.js';
