import { ContractError } from '@mailkeep/contracts';

import { TaskAbortedError } from '../policy/policy.js';

/** What a folder-by-folder connector needs to know of one folder to report it. */
interface NamedFolder {
  readonly path: string;
}

/** Errors that would fail every other folder the same way: they end the mailbox's task at once. */
function mailboxWide(error: ContractError): boolean {
  return ['AUTH_FAILED', 'FORBIDDEN', 'THROTTLED', 'UNAVAILABLE', 'TIMEOUT'].includes(error.code);
}

/**
 * Archives the selected folders one after the other. A folder that fails on its own (its sync
 * state refused, one message it cannot read) does not stop the others: the pass goes on and throws
 * that folder's error at the end, so the run reports it and the retry takes the folder again.
 * An abort, an unexpected error or a mailbox-wide one (credentials, permissions, throttling, an
 * unreachable server) is thrown at once.
 */
export async function archiveFoldersInTurn<F extends NamedFolder, R>(
  folders: readonly F[],
  archiveOne: (folder: F) => Promise<R>,
  logger: { warn(message: string, fields: Record<string, unknown>): void },
): Promise<R[]> {
  const results: R[] = [];
  const folderErrors: ContractError[] = [];
  for (const folder of folders) {
    try {
      results.push(await archiveOne(folder));
    } catch (error) {
      if (error instanceof TaskAbortedError || !(error instanceof ContractError) || mailboxWide(error))
        throw error;
      logger.warn('folder not archived; going on with the next', {
        folder: folder.path,
        error: error.message,
      });
      folderErrors.push(error);
    }
  }
  if (folderErrors[0]) throw folderErrors[0];
  return results;
}
