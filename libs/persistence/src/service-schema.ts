import type { MigrationInterface } from 'typeorm';

/**
 * An entity class. Abstract and with any constructor parameters so that every decorated class fits;
 * TypeORM only needs the constructor as a key into its metadata.
 */
export type EntityClass = abstract new (...args: never[]) => object;

/** A migration class; TypeORM instantiates it without arguments. */
export type MigrationClass = new () => MigrationInterface;

/**
 * What a service owns in the database: its schema, its entities and the migrations that build them.
 * Each app exports one, so that the app itself and the `mailkeep migrate` command use the same lists.
 */
export interface ServiceSchema {
  /** PostgreSQL schema owned by the service, e.g. `catalog`; lowercase letters, digits and `_`. */
  readonly schema: string;
  readonly entities: readonly EntityClass[];
  /** Migration classes, never globs, so that bundling and ESM loading cannot lose one. */
  readonly migrations: readonly MigrationClass[];
}

/**
 * Lowercase, unquoted-identifier-safe schema names only: an uppercase or punctuated name would have
 * to be quoted in every hand-written query and psql session forever after.
 */
const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertValidSchemaName(schema: string): void {
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    throw new Error(
      `Invalid schema name ${JSON.stringify(schema)}: use lowercase letters, digits and "_", at most 63 characters, not starting with a digit`,
    );
  }
}
