import {
  applyFolderSelection,
  archiveFoldersInTurn,
  type ArchiveTarget,
  type ConnectorTools,
  CursorStore,
  type TaskContext,
} from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import type { M365FolderCursor } from '../cursors/folder-cursor.js';
import { listFolders } from '../folders/list-folders.js';
import type { GraphAccess } from '../protocol/graph-access.js';
import { readM365Settings } from '../protocol/m365-settings.js';
import { archiveFolder, type FolderPassResult } from './archive-folder.js';

export interface ArchiveMailboxOptions {
  /** Delta page size (tests use small pages to exercise paging). */
  readonly pageSize?: number;
}

/**
 * Archives one mailbox (one task): reads the profile's m365 settings, opens the mailbox in Graph
 * (single mode: the profile's source mailbox; multiple mode: the archive mailbox's address, one
 * task per mailbox of the directory), lists its folders, applies the folder selection and archives
 * the folders one after the other.
 *
 * A folder that fails for a reason of its own does not stop the others; the task then fails with
 * that folder's error at the end, so the run reports it and the retry takes the folder again.
 * Refused credentials or permissions fail the task at once and are not retried (C5).
 */
export async function archiveMailbox(
  context: TaskContext,
  target: ArchiveTarget<ProfileOfType<'m365'>>,
  tools: ConnectorTools,
  access: GraphAccess,
  options: ArchiveMailboxOptions = {},
): Promise<FolderPassResult[]> {
  const settings = readM365Settings(target.profile, target.credentials, target.mailbox.primaryAddress);
  const logger = context.logger.child({ mailbox: settings.sourceMailbox });
  const graph = access.mailbox(settings, {
    signal: context.signal,
    onThrottled: (waitMs) => context.throttled(waitMs),
  });
  const cursors = await CursorStore.open<M365FolderCursor>(tools.bus);
  const { selected, missing } = applyFolderSelection(await listFolders(graph), settings.folders);
  if (missing.length > 0) logger.warn('folders in the profile are not in the mailbox', { missing });
  logger.info('archiving mailbox', {
    folders: selected.map((f) => f.path),
    deleteInSource: settings.deleteInSource,
  });
  return archiveFoldersInTurn(
    selected,
    (folder) =>
      archiveFolder(context, graph, folder, {
        cursors,
        deleteInSource: settings.deleteInSource,
        ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
      }),
    logger,
  );
}
