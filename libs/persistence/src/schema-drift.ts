import type { DataSource } from 'typeorm';

/**
 * The SQL TypeORM's schema builder would still run to make the database match the entities: empty
 * means entities and migrations agree. Run it after the migrations, on a database built only by them.
 * Read-only: the statements are computed, never executed.
 */
export async function findSchemaDrift(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) throw new Error('findSchemaDrift needs an initialised DataSource');
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

/** Thrown by {@link assertNoSchemaDrift}; `queries` is what a new migration would have to contain. */
export class SchemaDriftError extends Error {
  override readonly name = 'SchemaDriftError';

  constructor(readonly queries: readonly string[]) {
    super(
      `Entities and migrations disagree; a migration is missing these statements:\n${queries.map((q) => `  ${q};`).join('\n')}`,
    );
  }
}

/** Throws a {@link SchemaDriftError} listing the statements when {@link findSchemaDrift} finds any. */
export async function assertNoSchemaDrift(dataSource: DataSource): Promise<void> {
  const queries = await findSchemaDrift(dataSource);
  if (queries.length > 0) throw new SchemaDriftError(queries);
}
