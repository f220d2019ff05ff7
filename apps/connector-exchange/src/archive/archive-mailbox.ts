import {
  applyFolderSelection,
  archiveFoldersInTurn,
  type ArchiveTarget,
  type ConnectorTools,
  CursorStore,
  type TaskContext,
} from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import type { ExchangeFolderCursor } from '../cursors/folder-cursor.js';
import { listFolders } from '../folders/list-folders.js';
import type { EwsAccess } from '../protocol/ews-access.js';
import { readExchangeSettings } from '../protocol/exchange-settings.js';
import { archiveFolder, type FolderPassResult } from './archive-folder.js';

export interface ArchiveMailboxOptions {
  /** SyncFolderItems page size (tests use small pages to exercise paging). */
  readonly pageSize?: number;
}

/**
 * Archives one mailbox (one task): reads the profile's exchange settings, impersonates the mailbox
 * (single mode: the profile's source mailbox, else the archive mailbox's address; multiple mode:
 * one task per mailbox of the directory), lists its mail folders, applies the folder selection
 * and archives the folders one after the other.
 *
 * A folder that fails for a reason of its own does not stop the others; the task then fails with
 * that folder's error at the end. Refused credentials or impersonation fail the task at once and
 * are not retried (C5).
 */
export async function archiveMailbox(
  context: TaskContext,
  target: ArchiveTarget<ProfileOfType<'exchange'>>,
  tools: ConnectorTools,
  access: EwsAccess,
  options: ArchiveMailboxOptions = {},
): Promise<FolderPassResult[]> {
  const settings = readExchangeSettings(
    target.profile,
    target.credentials,
    target.mailbox.primaryAddress,
    access.urlTemplate,
  );
  const logger = context.logger.child({ mailbox: settings.mailbox });
  const ews = access.mailbox(settings, {
    egress: tools.egress,
    signal: context.signal,
    onThrottled: (waitMs) => context.throttled(waitMs),
  });
  try {
    const cursors = await CursorStore.open<ExchangeFolderCursor>(tools.bus);
    const { selected, missing } = applyFolderSelection(await listFolders(ews), settings.folders);
    if (missing.length > 0) logger.warn('folders in the profile are not in the mailbox', { missing });
    logger.info('archiving mailbox', {
      folders: selected.map((f) => f.path),
      deleteInSource: settings.deleteInSource,
    });
    return archiveFoldersInTurn(
      selected,
      (folder) =>
        archiveFolder(context, ews, folder, {
          cursors,
          deleteInSource: settings.deleteInSource,
          ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
        }),
      logger,
    );
  } finally {
    ews.close();
  }
}
