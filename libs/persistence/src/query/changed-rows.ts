import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE with RETURNING and gives the returned rows. TypeORM's PostgreSQL driver
 * answers such a statement with `[rows, affectedCount]` (an INSERT or SELECT gives the rows
 * alone), which is easy to mistake for the rows themselves.
 */
export async function changedRows<T>(
  runner: DataSource | EntityManager,
  sql: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const result = (await runner.query(sql, [...parameters])) as unknown;
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
