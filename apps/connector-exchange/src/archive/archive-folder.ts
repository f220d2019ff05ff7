import { Readable } from 'node:stream';

import { MessageWindow, TaskAbortedError, type TaskContext } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';

import { type ExchangeCursorStore, FolderCursor, type RememberedItem } from '../cursors/folder-cursor.js';
import type { ExchangeFolder } from '../folders/list-folders.js';
import { CONNECTIONS_PER_MAILBOX, type MailboxEws } from '../protocol/ews-session.js';
import { type ChangedItem, fetchMime, hardDelete, syncFolderItems } from '../protocol/mailbox-items.js';
import { INVALID_SYNC_STATE } from '../protocol/parse-ews-error.js';

/**
 * Changes per SyncFolderItems call (EWS allows 1–512). A page is the unit the cursor moves by: a
 * crash redoes at most 100 GetItems (their re-archive is a skipped duplicate), and a 10,000-item
 * folder is 100 small sync calls.
 */
export const DEFAULT_SYNC_PAGE_SIZE = 100;

/**
 * Restarts of one folder after ErrorInvalidSyncStateData within one pass: a state refused again
 * right after a restart means something else is wrong.
 */
const MAX_RESTARTS_PER_PASS = 2;

/**
 * GetItems in a row that may fail on the transport (reset, cut mid-response) before the task gives
 * up on Exchange being reachable. One cut response is the message's failure (recorded and retried
 * next pass, C4); five in a row with nothing in between means the server or network is down, and
 * the task is retried instead of recording every message of the mailbox as failed.
 */
const MAX_TRANSPORT_FAILURES_IN_A_ROW = 5;

/** `exchange:<EWS item id>`: unique per mailbox. EWS ids change when an item moves (README). */
export function sourceIdentity(itemId: string): string {
  return `exchange:${itemId}`;
}

export interface FolderPassOptions {
  readonly cursors: ExchangeCursorStore;
  readonly deleteInSource: boolean;
  readonly pageSize?: number;
}

export interface FolderPassResult {
  readonly folder: string;
  readonly archived: number;
  readonly failed: number;
  /** Announced by the sync, then gone before GetItem. */
  readonly vanished: number;
  readonly deleted: number;
  /** ErrorInvalidSyncStateData restarts. */
  readonly restarts: number;
}

/**
 * One folder's pass: retries the items remembered as failed (and deletes not done), then follows
 * SyncFolderItems from the cursor's sync state page by page. A page's messages are archived with
 * at most the mailbox's EWS connections in flight; the cursor moves to the page's sync state only
 * once all of them are settled (C2), and the archived ones are hard-deleted (P10) only after that.
 */
export async function archiveFolder(
  context: TaskContext,
  ews: MailboxEws,
  folder: ExchangeFolder,
  options: FolderPassOptions,
): Promise<FolderPassResult> {
  const pass = new FolderPass(context, ews, folder, options);
  await pass.run();
  return pass.result();
}

class FolderPass {
  private archived = 0;
  private failedCount = 0;
  private vanished = 0;
  private deleted = 0;
  private restarts = 0;
  private transportFailuresInARow = 0;
  /** A message failed for a reason not its own (storage, event stream): the cursor stays put. */
  private held = false;
  private failed: RememberedItem[] = [];
  private undeleted: string[] = [];
  /** Archived in the current page and to be deleted once the page is settled. */
  private toDelete: string[] = [];
  private readonly logger;

  constructor(
    private readonly context: TaskContext,
    private readonly ews: MailboxEws,
    private readonly folder: ExchangeFolder,
    private readonly options: FolderPassOptions,
  ) {
    this.logger = context.logger.child({ folder: folder.path });
  }

  result(): FolderPassResult {
    return {
      folder: this.folder.path,
      archived: this.archived,
      failed: this.failedCount,
      vanished: this.vanished,
      deleted: this.deleted,
      restarts: this.restarts,
    };
  }

  async run(): Promise<void> {
    const cursor = await FolderCursor.load(this.options.cursors, {
      tenantId: this.context.task.tenantId,
      mailboxId: this.context.task.mailboxId,
      folderId: this.folder.id,
    });
    await this.retryRemembered(cursor);
    let syncState = cursor.state.syncState;
    for (;;) {
      this.throwIfAborted();
      this.context.working();
      let page;
      try {
        page = await syncFolderItems(
          this.ews,
          this.folder,
          syncState,
          this.options.pageSize ?? DEFAULT_SYNC_PAGE_SIZE,
        );
      } catch (error) {
        if (!(error instanceof ContractError) || error.reason !== INVALID_SYNC_STATE) throw error;
        // The state is no longer valid (Exchange dropped it, or the folder was restored): read
        // the folder from the start. Archived items come back with the same id and source
        // identity, so the catalog keeps one row each.
        this.restarts += 1;
        if (this.restarts > MAX_RESTARTS_PER_PASS) throw error;
        this.logger.warn('sync state refused; the folder is read again from the start', {
          restarts: this.restarts,
        });
        syncState = undefined;
        continue;
      }
      await this.inWindow(page.created, (item) => this.archiveOne(item));
      await this.deleteArchived();
      if (!this.held) {
        const dropped = await cursor.save({
          syncState: page.syncState,
          failed: this.failed,
          undeleted: this.undeleted,
        });
        if (dropped > 0) this.logger.warn('failed messages no longer remembered for a retry', { dropped });
      }
      if (!page.moreAvailable) break;
      syncState = page.syncState;
    }
    if (this.held) {
      throw new ContractError(
        'TEMPORARY',
        `Folder ${this.folder.path}: messages could not be stored; the folder is taken again`,
        {
          reason: 'temporary',
        },
      );
    }
    this.logger.info('folder archived', { ...this.result(), folder: undefined });
  }

  private async retryRemembered(cursor: FolderCursor): Promise<void> {
    const { failed, undeleted } = cursor.state;
    if (failed.length === 0 && undeleted.length === 0) return;
    this.logger.info('retrying messages of the last pass', {
      failed: failed.length,
      undeleted: undeleted.length,
    });
    this.toDelete.push(...undeleted);
    await this.inWindow(failed, (item) => this.archiveOne(item));
    await this.deleteArchived();
    if (!this.held) await cursor.save({ ...cursor.state, failed: this.failed, undeleted: this.undeleted });
  }

  private async inWindow<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    const window = new MessageWindow(Math.min(this.context.messagesInFlight, CONNECTIONS_PER_MAILBOX));
    try {
      for (const item of items) await window.add(() => work(item));
    } finally {
      await window.settle();
    }
    await window.drain();
  }

  private async archiveOne(item: ChangedItem): Promise<void> {
    const source = await this.openMime(item.id);
    if (source === undefined) {
      this.vanished += 1;
      return;
    }
    const result = await this.context.archive({
      sourceIdentity: sourceIdentity(item.id),
      folder: this.folder.path,
      source,
    });
    if (result.ok) {
      this.transportFailuresInARow = 0;
      this.archived += 1;
      if (this.options.deleteInSource && !item.flagged) this.toDelete.push(item.id);
      return;
    }
    if (result.stage !== 'source' && result.error.retryable) {
      // Our storage or event stream failed, not the message: hold the cursor so it is taken again.
      this.held = true;
      return;
    }
    // The message's own failure: recorded with the task, remembered for the next pass (C4).
    this.failedCount += 1;
    this.failed.push(item);
  }

  /**
   * The message's MIME, or undefined when it is gone. A refusal of the mailbox or the account,
   * throttling past the session's retries, a timeout, or five transport failures in a row fail the
   * task; anything else about this message (a cut response included) becomes a failing source so
   * the kit records it as the message's failure.
   */
  private async openMime(id: string): Promise<Buffer | Readable | undefined> {
    try {
      return await fetchMime(this.ews, id);
    } catch (error) {
      if (error instanceof TaskAbortedError) throw error;
      if (!(error instanceof ContractError)) throw error;
      if (['AUTH_FAILED', 'FORBIDDEN', 'THROTTLED', 'TIMEOUT'].includes(error.code)) throw error;
      if (error.code === 'UNAVAILABLE') {
        this.transportFailuresInARow += 1;
        if (this.transportFailuresInARow >= MAX_TRANSPORT_FAILURES_IN_A_ROW) throw error;
      }
      const source = new Readable({ read: () => undefined });
      source.destroy(error);
      return source;
    }
  }

  /** P10: exactly the archived, unflagged messages, after they are durable; failures are remembered. */
  private async deleteArchived(): Promise<void> {
    const ids = this.toDelete;
    this.toDelete = [];
    if (ids.length === 0) return;
    try {
      const failures = await hardDelete(this.ews, ids);
      this.deleted += ids.length - failures.length;
      this.undeleted.push(...failures.map((f) => f.id));
      if (failures.length > 0)
        this.logger.warn('messages archived but not deleted from the source; retried next pass', {
          count: failures.length,
          first: failures[0]?.error,
        });
    } catch (error) {
      if (error instanceof ContractError && ['AUTH_FAILED', 'FORBIDDEN'].includes(error.code)) throw error;
      this.logger.warn('messages archived but not deleted from the source; retried next pass', {
        count: ids.length,
        error: error instanceof Error ? error.message : String(error),
      });
      this.undeleted.push(...ids);
    }
  }

  private throwIfAborted(): void {
    if (!this.context.signal.aborted) return;
    const reason: unknown = this.context.signal.reason;
    throw reason instanceof TaskAbortedError ? reason : new TaskAbortedError('shutdown');
  }
}
