/**
 * SQLSTATE codes the platform reacts to. See
 * https://www.postgresql.org/docs/current/errcodes-appendix.html.
 */
export const PostgresErrorCode = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  DuplicateDatabase: '42P04',
  /** Connecting to a database that does not exist. */
  InvalidCatalogName: '3D000',
  LockNotAvailable: '55P03',
} as const;

/** The fields of a PostgreSQL error report that code may branch on. */
export interface PostgresErrorFields {
  /** SQLSTATE, five characters. */
  readonly code: string;
  /** Name of the violated constraint or unique index, when the error concerns one. */
  readonly constraint?: string;
  readonly table?: string;
  readonly schema?: string;
}

/**
 * How far to follow `driverError` / `cause` links. TypeORM wraps once, callers may wrap again;
 * the bound only guards against a cyclic chain.
 */
const MAX_WRAPPING_DEPTH = 5;

const SQLSTATE_PATTERN = /^[0-9A-Z]{5}$/;

/**
 * Extracts the PostgreSQL error fields from a raw pg `DatabaseError`, a TypeORM `QueryFailedError`
 * (which carries it as `driverError`) or an error wrapping either as `cause`; `undefined` otherwise.
 */
export function postgresErrorOf(err: unknown): PostgresErrorFields | undefined {
  let candidate: unknown = err;
  for (let depth = 0; depth <= MAX_WRAPPING_DEPTH && isRecord(candidate); depth += 1) {
    const { code } = candidate;
    if (typeof code === 'string' && SQLSTATE_PATTERN.test(code)) {
      return {
        code,
        ...optionalString('constraint', candidate['constraint']),
        ...optionalString('table', candidate['table']),
        ...optionalString('schema', candidate['schema']),
      };
    }
    candidate = candidate['driverError'] ?? candidate['cause'];
  }
  return undefined;
}

/**
 * True for a unique violation (23505), optionally only of the given constraint or unique index,
 * so a repository can map exactly the duplicate it expects to a CONFLICT and rethrow others.
 */
export function isUniqueViolation(err: unknown, constraintName?: string): boolean {
  return hasCode(err, PostgresErrorCode.UniqueViolation, constraintName);
}

/** True for a foreign-key violation (23503), optionally only of the given constraint. */
export function isForeignKeyViolation(err: unknown, constraintName?: string): boolean {
  return hasCode(err, PostgresErrorCode.ForeignKeyViolation, constraintName);
}

function hasCode(err: unknown, code: string, constraintName: string | undefined): boolean {
  const fields = postgresErrorOf(err);
  if (fields?.code !== code) return false;
  return constraintName === undefined || fields.constraint === constraintName;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}
