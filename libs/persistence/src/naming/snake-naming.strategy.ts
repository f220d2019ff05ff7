import { createHash } from 'node:crypto';
import { DefaultNamingStrategy, type NamingStrategyInterface, type Table, type View } from 'typeorm';
import { snakeCase } from './snake-case.js';

/**
 * PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 = 63 bytes, silently. A truncated
 * constraint name would differ from the one TypeORM computes and show up as permanent schema drift,
 * so longer names are shortened here, deterministically, before PostgreSQL gets the chance.
 */
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * Eight hex characters (32 bits) of SHA-1 keep two shortened names with the same 54-character
 * prefix apart; collisions would need two constraints on the same table with near-identical names.
 */
const SHORTENED_HASH_LENGTH = 8;

/**
 * Names tables, columns, join columns, join tables and constraints in snake_case.
 *
 * Names given explicitly in decorators (`@Entity('x')`, `@Column({ name: 'x' })`,
 * `@Index('x')`) are kept as written. Constraint and index names are readable
 * (`idx_<table>_<columns>`, `fk_<table>_<columns>`, …) instead of TypeORM's `IDX_<hash>`, so
 * that an error such as a unique violation names something a person can recognise, and
 * repositories can test for it with `isUniqueViolation(err, 'uq_mailbox_tenant_id_address')`.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return userSpecifiedName ?? snakeCase(targetName);
  }

  override columnName(
    propertyName: string,
    customName: string | undefined,
    embeddedPrefixes: string[],
  ): string {
    const prefix = embeddedPrefixes.length > 0 ? `${snakeCase(embeddedPrefixes.join('_'))}_` : '';
    return prefix + (customName || snakeCase(propertyName));
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }

  override joinTableName(
    firstTableName: string,
    secondTableName: string,
    firstPropertyName: string,
    _secondPropertyName: string,
  ): string {
    return snakeCase(`${firstTableName}_${firstPropertyName.replaceAll('.', '_')}_${secondTableName}`);
  }

  override joinTableColumnName(tableName: string, propertyName: string, columnName?: string): string {
    return snakeCase(`${tableName}_${columnName ?? propertyName}`);
  }

  override primaryKeyName(tableOrName: Table | string, _columnNames: string[]): string {
    // A table has one primary key: naming it after the table alone keeps the name stable when its columns change.
    return constraintName('pk', this.getTableName(tableOrName), []);
  }

  override uniqueConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return constraintName('uq', this.getTableName(tableOrName), sorted(columnNames));
  }

  override relationConstraintName(
    tableOrName: Table | string,
    columnNames: string[],
    where?: string,
  ): string {
    return constraintName('rel', this.getTableName(tableOrName), sorted(columnNames), where);
  }

  override defaultConstraintName(tableOrName: Table | string, columnName: string): string {
    return constraintName('df', this.getTableName(tableOrName), [columnName]);
  }

  override foreignKeyName(
    tableOrName: Table | string,
    columnNames: string[],
    _referencedTablePath?: string,
    _referencedColumnNames?: string[],
  ): string {
    return constraintName('fk', this.getTableName(tableOrName), sorted(columnNames));
  }

  override indexName(tableOrName: Table | View | string, columnNames: string[], where?: string): string {
    const table = typeof tableOrName === 'string' ? tableOrName : tableOrName.name;
    return constraintName('idx', this.getTableName(table), sorted(columnNames), where);
  }

  override checkConstraintName(tableOrName: Table | string, expression: string, isEnum?: boolean): string {
    // An expression is no name: a short hash of it keeps the name stable and unique per expression.
    const name = constraintName('chk', this.getTableName(tableOrName), [shortHash(expression)]);
    return isEnum ? `${name}_enum` : name;
  }

  override exclusionConstraintName(tableOrName: Table | string, expression: string): string {
    return constraintName('xcl', this.getTableName(tableOrName), [shortHash(expression)]);
  }
}

/**
 * TypeORM hands over column lists in whatever order the metadata happened to produce; sorting
 * (as TypeORM's default strategy does) keeps a name from changing when only that order changes.
 */
function sorted(columnNames: readonly string[]): string[] {
  return [...columnNames].sort();
}

function constraintName(kind: string, table: string, columns: readonly string[], where?: string): string {
  // Partial indexes on the same columns differ only in their predicate, so it has to be part of the name.
  const parts = [kind, table, ...columns, ...(where ? [shortHash(where)] : [])];
  return fitIdentifier(parts.join('_'));
}

function fitIdentifier(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_LENGTH) return name;
  const keep = MAX_IDENTIFIER_LENGTH - SHORTENED_HASH_LENGTH - 1;
  return `${name.slice(0, keep)}_${shortHash(name)}`;
}

function shortHash(input: string): string {
  return createHash('sha1').update(input).digest('hex').slice(0, SHORTENED_HASH_LENGTH);
}
