import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Column name → its SQL type and constraints (`uuid NOT NULL`), in the order of the table. */
export type ColumnDefinitions = Readonly<Record<string, string>>;

export interface IndexDefinition {
  /** `ux_<table>_…` for unique indexes, `ix_<table>_…` for the others (the convention of every schema). */
  readonly name: string;
  /**
   * Indexed columns, in order. A plain snake_case name is quoted; anything else — an expression such
   * as `md5("folder")` or a column with an operator class — is written as given.
   */
  readonly columns: readonly string[];
  readonly unique?: boolean;
  /** Index method when not btree, e.g. `gin` for arrays, tsvector and trigram search. */
  readonly using?: 'gin';
  /** Predicate of a partial index, as SQL. */
  readonly where?: string;
}

export interface TableDefinition {
  readonly name: string;
  readonly columns: ColumnDefinitions;
  /** Primary key columns; `id` unless given. The constraint is named `pk_<table>`. */
  readonly primaryKey?: readonly string[];
  readonly indexes?: readonly IndexDefinition[];
}

/** The uuid primary key column most tables start with. */
export const ID_COLUMN: ColumnDefinitions = { id: 'uuid NOT NULL' };

/** The owning tenant of a row; matches the `TenantScoped` entity base. */
export const TENANT_ID_COLUMN: ColumnDefinitions = { tenant_id: 'uuid NOT NULL' };

/** `created_at` / `updated_at` filled by the database when a row is inserted. */
export const TIMESTAMP_COLUMNS: ColumnDefinitions = {
  created_at: 'timestamptz NOT NULL DEFAULT now()',
  updated_at: 'timestamptz NOT NULL DEFAULT now()',
};

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoted(identifier: string): string {
  return `"${identifier}"`;
}

function indexedColumn(column: string): string {
  return PLAIN_IDENTIFIER.test(column) ? quoted(column) : column;
}

/** The `CREATE TABLE` and `CREATE INDEX` statements of one table, in the order they must run. */
export function createTableStatements(schema: string, table: TableDefinition): string[] {
  const qualified = `${quoted(schema)}.${quoted(table.name)}`;
  const columns = Object.entries(table.columns).map(([name, definition]) => `${quoted(name)} ${definition}`);
  const primaryKey = (table.primaryKey ?? ['id']).map(quoted).join(', ');
  const createTable = `CREATE TABLE ${qualified} (${[
    ...columns,
    `CONSTRAINT ${quoted(`pk_${table.name}`)} PRIMARY KEY (${primaryKey})`,
  ].join(', ')})`;
  const createIndexes = (table.indexes ?? []).map((index) =>
    [
      index.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX',
      quoted(index.name),
      'ON',
      qualified,
      ...(index.using ? [`USING ${index.using}`] : []),
      `(${index.columns.map(indexedColumn).join(', ')})`,
      ...(index.where ? [`WHERE ${index.where}`] : []),
    ].join(' '),
  );
  return [createTable, ...createIndexes];
}

/**
 * The base class of a service's first migration: creates its tables and their indexes in order and
 * drops them in reverse order on `down` (the indexes go with their tables). The schema itself is
 * created by `runMigrations` before any migration runs, so it is not part of this one.
 *
 * The subclass sets `name` (with its 13-digit timestamp, which survives minification) and overrides
 * `up` only for what must come before the tables, such as an extension:
 *
 * ```ts
 * export class CreateSecretsSchema1764100000000 extends firstMigration('secrets', [{ name: 'secret', columns: { … } }]) {
 *   override name = 'CreateSecretsSchema1764100000000';
 * }
 * ```
 */
export function firstMigration(schema: string, tables: readonly TableDefinition[]) {
  abstract class FirstMigration implements MigrationInterface {
    abstract readonly name: string;

    async up(db: QueryRunner): Promise<void> {
      for (const table of tables) {
        for (const statement of createTableStatements(schema, table)) await db.query(statement);
      }
    }

    async down(db: QueryRunner): Promise<void> {
      for (const table of [...tables].reverse()) {
        await db.query(`DROP TABLE ${quoted(schema)}.${quoted(table.name)}`);
      }
    }
  }
  return FirstMigration;
}
