import type { DataSource, EntityManager } from 'typeorm';

/**
 * A check of what a write produced, run inside the write's transaction. When it throws, the
 * transaction rolls back and its error is what the caller sees: nothing is stored. Write paths
 * use it to build and validate their reply before committing (issue 19), so a reply that breaks
 * its contract can never follow a committed change.
 */
export type BeforeCommit<T> = (written: T) => Promise<unknown>;

/** Runs `write` in one transaction and commits only once `check` (when given) accepts its result. */
export function writeBeforeCommit<T>(
  dataSource: DataSource,
  write: (manager: EntityManager) => Promise<T>,
  check?: BeforeCommit<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    const written = await write(manager);
    if (check) await check(written);
    return written;
  });
}
