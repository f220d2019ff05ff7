import {
  type ArchiveTarget,
  type ConnectorTools,
  CursorStore,
  TaskAbortedError,
  type TaskContext,
} from '@mailkeep/connector-kit';
import { ContractError, type ProfileOfType } from '@mailkeep/contracts';

import { type ImapCursor, parseCursor } from '../cursors/folder-cursor.js';
import { canDeleteExactly } from '../delete/delete-archived.js';
import type { FetchPlanLimits } from '../fetch/fetch-plan.js';
import { selectFolders } from '../folders/folder-selection.js';
import { hasNothingNew } from '../folders/folder-status.js';
import { BodyStreamer } from '../protocol/body-streamer.js';
import { listFolders } from '../protocol/folder-commands.js';
import { ImapSession } from '../protocol/imap-client.js';
import { readFolderSelection, readLogin, readServerSettings } from '../protocol/imap-settings.js';
import { FOLDER_MISSING, toContractError } from '../protocol/parse-imap-error.js';
import { throwIfAborted } from './abort.js';
import { archiveFolder, FolderNotOpenedError, type FolderPassResult } from './archive-folder.js';

export interface ArchiveMailboxOptions {
  /** Fetch plan limits (tests use small ones to exercise ranges and streams with small messages). */
  readonly limits?: FetchPlanLimits;
  /**
   * False: no second connection, large messages are fetched in parts on the session (what happens
   * anyway when the server refuses the second login; tests use it to exercise that path).
   */
  readonly bodyConnection?: boolean;
}

/**
 * Archives one mailbox (one task): logs in (in multiple mode as the profile's privileged user for
 * the mailbox's primary address), lists the folders, applies the profile's folder selection and
 * archives the folders one after the other on one connection.
 *
 * A folder that fails for a reason of its own (the server refuses to select it) does not stop the
 * others: it is the task's folder failure (`context.folderFailed`), reported with a task that
 * otherwise succeeds, and the next run tries it again — retrying the task would re-read every
 * other folder up to ten times while that one stays broken (issue 17 item 4). A lost connection
 * fails the task at once (retried).
 */
export async function archiveMailbox(
  context: TaskContext,
  target: ArchiveTarget<ProfileOfType<'imap'>>,
  tools: ConnectorTools,
  options: ArchiveMailboxOptions = {},
): Promise<FolderPassResult[]> {
  const profile = target.profile;
  let settings;
  try {
    settings = {
      server: readServerSettings(profile),
      login: readLogin(profile, target.credentials, target.mailbox.primaryAddress),
      folders: readFolderSelection(profile),
    };
  } catch (error) {
    throw toContractError(error, 'Profile');
  }
  const cursors = await CursorStore.open<ImapCursor>(tools.bus);
  const logger = context.logger.child({
    server: settings.server.host,
    mailbox: target.mailbox.primaryAddress,
  });

  let session: ImapSession;
  try {
    session = await ImapSession.open(settings.server, settings.login, { logger, egress: tools.egress });
  } catch (error) {
    throw toContractError(error, `IMAP login to ${settings.server.host}:${settings.server.port}`);
  }
  // The second connection for large messages, opened when a folder first has one (most tasks of
  // an incremental run have none). Without it large messages are fetched in parts, as before.
  let bodies: Promise<BodyStreamer | undefined> | undefined;
  const openBodies = () =>
    (bodies ??= BodyStreamer.open(settings.server, settings.login, tools.egress).catch((error: unknown) => {
      logger.warn('large messages are fetched in parts: no second connection', { error });
      return undefined;
    }));
  const results: FolderPassResult[] = [];
  const folderErrors: ContractError[] = [];
  let deleteInSource = target.profile.deleteInSource;
  try {
    if (deleteInSource && !canDeleteExactly(session)) {
      // Archiving still goes ahead; the task fails at the end so that the run says why nothing was deleted.
      folderErrors.push(
        new ContractError(
          'VALIDATION',
          'Delete in source needs the UIDPLUS extension, which the server does not offer: nothing was deleted',
          { reason: 'invalid' },
        ),
      );
      deleteInSource = false;
    }
    // One LIST with the STATUS of every folder (LIST-STATUS; one STATUS per folder to servers
    // without it), and every folder's cursor read at once: a folder with nothing new is neither
    // selected nor written (decision 0021), which is most folders of an hourly run. Names are
    // read and sent as the server's bytes (folder-commands.ts).
    const listed = await listFolders(session, true);
    const { folders, missing } = selectFolders(listed, settings.folders, session.utf8Names);
    if (missing.length > 0) logger.warn('folders in the profile are not on the server', { missing });
    const { tenantId, mailboxId } = context.task;
    const stored = await Promise.all(folders.map((f) => cursors.get(tenantId, mailboxId, f.name)));
    const changed = folders.flatMap((folder, i) =>
      hasNothingNew(parseCursor(stored[i]?.value), folder.status, deleteInSource)
        ? []
        : [{ folder, stored: stored[i] }],
    );
    logger.info('archiving mailbox', {
      folders: changed.map((c) => c.folder.name),
      unchanged: folders.length - changed.length,
      deleteInSource,
    });
    for (const { folder, stored } of changed) {
      throwIfAborted(context);
      try {
        results.push(
          await archiveFolder(context, session, folder, {
            cursors,
            stored,
            deleteInSource,
            ...(options.bodyConnection !== false && { bodies: openBodies }),
            ...(options.limits && { limits: options.limits }),
          }),
        );
      } catch (error) {
        if (error instanceof TaskAbortedError || !session.usable) throw error;
        const opening = error instanceof FolderNotOpenedError;
        const failure = toContractError(opening ? error.cause : error, `Folder ${folder.name}`);
        if (failure.reason === FOLDER_MISSING) {
          logger.warn('folder disappeared before it was archived', { folder: folder.name });
          continue;
        }
        if (opening) {
          context.folderFailed(folder.name, failure);
          continue;
        }
        // Anything else (the cursor could not be saved, a listing refused): the task is retried.
        logger.warn('folder not archived; going on with the next', {
          folder: folder.name,
          error: failure.message,
        });
        folderErrors.push(failure);
      }
    }
  } finally {
    (await bodies)?.close();
    await session.close();
  }
  if (folderErrors[0]) throw folderErrors[0];
  return results;
}
