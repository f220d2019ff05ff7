import { Readable } from 'node:stream';

import { MessageWindow, TaskAbortedError, type TaskContext } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';

import { type GmailCursorStore, MailboxCursor } from '../cursors/mailbox-cursor.js';
import type { LabelFolders } from '../labels/label-folders.js';
import { GMAIL_USER_REQUESTS_IN_FLIGHT, type MailboxGmail } from '../protocol/mailbox-gmail.js';
import { HISTORY_EXPIRED, MESSAGE_NOT_FOUND } from '../protocol/parse-google-error.js';
import { openRawMessage } from '../protocol/raw-message-stream.js';

/**
 * Message ids per `messages.list` page: the unit a full listing's cursor moves by. 100 (Gmail's
 * default) makes a crash redo at most 100 downloads, and a 100,000-message mailbox 1,000 list
 * calls (5,000 quota units, a third of one minute's per-user quota).
 */
export const DEFAULT_LIST_PAGE_SIZE = 100;

/** `history.list` pages hold only ids and labels: the largest page Gmail allows. */
const HISTORY_PAGE_SIZE = 500;

/** Gmail's `batchDelete` limit. */
const BATCH_DELETE_MAX_IDS = 1000;

/**
 * Downloads in a row that may fail on the transport (reset, cut mid-body) before the task gives
 * up on Gmail being reachable: one cut connection is the message's failure (recorded, retried
 * next pass, C4); five in a row means the network is down and the task is retried instead.
 */
const MAX_TRANSPORT_FAILURES_IN_A_ROW = 5;

/** `gmail:<message id>`: Gmail's ids are per mailbox and survive label changes. */
export function sourceIdentity(id: string): string {
  return `gmail:${id}`;
}

export interface MailboxPassOptions {
  readonly cursors: GmailCursorStore;
  readonly deleteInSource: boolean;
  readonly pageSize?: number;
  readonly minIntervalMs?: number;
}

export interface MailboxPassResult {
  /** `full` listing or incremental `history`. */
  readonly mode: 'full' | 'history';
  readonly archived: number;
  readonly failed: number;
  /** Listed, then gone before it was downloaded. */
  readonly vanished: number;
  /** Downloaded far enough to read its labels, then left out by the folder rules. */
  readonly skipped: number;
  readonly deleted: number;
  /** The stored history id had expired (404): a full listing followed. */
  readonly historyExpired: boolean;
}

interface MessageRef {
  readonly id: string;
}

/**
 * One pass over a mailbox: first the messages and deletes remembered by the last pass, then
 * history from the stored id, or a full listing when there is none or it expired. Messages are
 * downloaded with up to GMAIL_USER_REQUESTS_IN_FLIGHT in flight; a cursor moves past a page only
 * once each of its messages is settled (C2).
 */
export class MailboxPass {
  private mode: 'full' | 'history' = 'full';
  private archived = 0;
  private failedCount = 0;
  private vanished = 0;
  private skipped = 0;
  private deleted = 0;
  private historyExpired = false;
  private transportFailuresInARow = 0;
  /** A message failed for a reason not its own (storage, event stream): the cursor stays put. */
  private held = false;
  private failed: string[] = [];
  private undeleted: string[] = [];
  /** Archived (durable), not starred, waiting for the page's batchDelete. */
  private toDelete: string[] = [];
  private readonly pageSize: number;

  constructor(
    private readonly context: TaskContext,
    private readonly gmail: MailboxGmail,
    private readonly folders: LabelFolders,
    private readonly options: MailboxPassOptions,
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_LIST_PAGE_SIZE;
  }

  async run(): Promise<MailboxPassResult> {
    const { tenantId, mailboxId } = this.context.task;
    const cursor = await MailboxCursor.load(this.options.cursors, tenantId, mailboxId);
    await this.retryRemembered(cursor);
    if (cursor.state.historyId !== undefined && cursor.state.listing === undefined) {
      try {
        this.mode = 'history';
        await this.historyPass(cursor, cursor.state.historyId);
        return this.finish();
      } catch (error) {
        if (!(error instanceof ContractError && error.reason === HISTORY_EXPIRED)) throw error;
        // Gmail keeps history for about a week, sometimes only hours: list everything again.
        // Already archived messages keep their `gmail:<id>` identity, so the catalog adds no rows.
        this.context.logger.warn('the stored history id expired; the mailbox is listed again', {
          historyId: cursor.state.historyId,
        });
        this.mode = 'full';
        this.historyExpired = true;
      }
    }
    await this.fullListing(cursor);
    return this.finish();
  }

  private finish(): MailboxPassResult {
    if (this.held) {
      throw new ContractError(
        'TEMPORARY',
        `Mailbox ${this.gmail.mailbox}: messages could not be stored; the mailbox is taken again`,
        {
          reason: 'temporary',
        },
      );
    }
    return {
      mode: this.mode,
      archived: this.archived,
      failed: this.failedCount,
      vanished: this.vanished,
      skipped: this.skipped,
      deleted: this.deleted,
      historyExpired: this.historyExpired,
    };
  }

  private async retryRemembered(cursor: MailboxCursor): Promise<void> {
    const { failed, undeleted } = cursor.state;
    if (failed.length === 0 && undeleted.length === 0) return;
    this.context.logger.info('retrying messages of the last pass', {
      failed: failed.length,
      undeleted: undeleted.length,
    });
    this.toDelete.push(...undeleted);
    await this.archiveAll(failed.map((id) => ({ id })));
    if (!this.held) await cursor.save({ ...cursor.state, failed: this.failed, undeleted: this.undeleted });
  }

  /**
   * Every message from `messages.list`, page by page. The profile's history id is read first, so
   * whatever arrives during the listing is in the history the next pass reads.
   */
  private async fullListing(cursor: MailboxCursor): Promise<void> {
    let listing = cursor.state.listing;
    if (listing === undefined) {
      const profile = await this.gmail.json<{ historyId: string }>('users.getProfile', { path: '/profile' });
      listing = { startHistoryId: profile.historyId };
      await cursor.save({ listing, failed: this.failed, undeleted: this.undeleted });
    }
    let pageToken = listing.pageToken;
    for (;;) {
      this.throwIfAborted();
      this.context.working();
      const page = await this.gmail.json<{ messages?: MessageRef[]; nextPageToken?: string }>(
        'messages.list',
        {
          path: '/messages',
          query: {
            maxResults: this.pageSize,
            pageToken,
            q: this.folders.listQuery(),
            ...(this.folders.includeSpamTrash && { includeSpamTrash: true }),
          },
        },
      );
      await this.archiveAll(page.messages ?? []);
      pageToken = page.nextPageToken;
      if (this.held) return;
      if (pageToken === undefined) {
        await cursor.save({
          historyId: listing.startHistoryId,
          failed: this.failed,
          undeleted: this.undeleted,
        });
        return;
      }
      await cursor.save({
        listing: { startHistoryId: listing.startHistoryId, pageToken },
        failed: this.failed,
        undeleted: this.undeleted,
      });
    }
  }

  /** The messages added since `startHistoryId` (`messageAdded` records), then the new history id. */
  private async historyPass(cursor: MailboxCursor, startHistoryId: string): Promise<void> {
    const added: MessageRef[] = [];
    const seen = new Set<string>();
    let latest: string;
    let pageToken: string | undefined;
    do {
      this.throwIfAborted();
      this.context.working();
      const page = await this.historyPage(startHistoryId, pageToken);
      for (const record of page.history ?? []) {
        for (const { message } of record.messagesAdded ?? []) {
          if (seen.has(message.id)) continue;
          seen.add(message.id);
          // Labels at delivery decide: Spam and Drafts are not even downloaded.
          if (message.labelIds && !this.folders.selects(message.labelIds)) {
            this.skipped += 1;
            continue;
          }
          added.push({ id: message.id });
        }
      }
      latest = page.historyId;
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    await this.archiveAll(added);
    if (!this.held) await cursor.save({ historyId: latest, failed: this.failed, undeleted: this.undeleted });
  }

  private async historyPage(
    startHistoryId: string,
    pageToken: string | undefined,
  ): Promise<{
    history?: { messagesAdded?: { message: { id: string; labelIds?: string[] } }[] }[];
    historyId: string;
    nextPageToken?: string;
  }> {
    try {
      return await this.gmail.json('history.list', {
        path: '/history',
        query: { startHistoryId, historyTypes: ['messageAdded'], maxResults: HISTORY_PAGE_SIZE, pageToken },
      });
    } catch (error) {
      if (error instanceof ContractError && error.reason === MESSAGE_NOT_FOUND)
        throw new ContractError('NOT_FOUND', error.message, { reason: HISTORY_EXPIRED });
      throw error;
    }
  }

  private async archiveAll(messages: readonly MessageRef[]): Promise<void> {
    const window = new MessageWindow(Math.min(this.context.messagesInFlight, GMAIL_USER_REQUESTS_IN_FLIGHT));
    try {
      for (const message of messages) await window.add(() => this.archiveOne(message.id));
    } finally {
      await window.settle();
    }
    await window.drain();
    await this.deletePending();
  }

  private async archiveOne(id: string): Promise<void> {
    const opened = await this.openRaw(id);
    if (opened === 'vanished') {
      this.vanished += 1;
      return;
    }
    let labels: readonly string[] = [];
    let source: Readable;
    if (opened instanceof Readable) {
      source = opened;
    } else {
      source = opened.source;
      labels = opened.head.labelIds ?? (await this.minimalLabels(id));
      if (!this.folders.selects(labels)) {
        source.destroy();
        this.skipped += 1;
        return;
      }
    }
    const folders = this.folders.foldersOf(labels);
    const result = await this.context.archive({
      sourceIdentity: sourceIdentity(id),
      folder: folders[0] ?? '',
      folders,
      source,
    });
    if (result.ok) {
      this.transportFailuresInARow = 0;
      this.archived += 1;
      // P10: starred messages count as flagged and stay in the mailbox.
      if (this.options.deleteInSource && !labels.includes('STARRED')) this.toDelete.push(id);
      return;
    }
    if (result.stage !== 'source' && result.error.retryable) {
      this.held = true;
      return;
    }
    this.failedCount += 1;
    this.failed.push(id);
  }

  /**
   * The message opened as a raw stream, `vanished` when Gmail no longer has it, or a failing
   * source (recorded through the kit as this message's failure). Refusals that are the mailbox's
   * or the key's (401, 403, quota given up) fail the task.
   */
  private async openRaw(
    id: string,
  ): Promise<Awaited<ReturnType<typeof openRawMessage>> | Readable | 'vanished'> {
    let response: Response;
    try {
      response = await this.gmail.send('messages.get', {
        path: `/messages/${encodeURIComponent(id)}`,
        query: { format: 'raw' },
      });
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      if (error.reason === MESSAGE_NOT_FOUND) return 'vanished';
      if (
        error instanceof TaskAbortedError ||
        ['AUTH_FAILED', 'FORBIDDEN', 'THROTTLED', 'VALIDATION'].includes(error.code)
      )
        throw error;
      return this.transportFailure(error);
    }
    try {
      if (!response.body)
        throw new ContractError('TEMPORARY', 'Gmail answered without a body', { reason: 'protocol' });
      return await openRawMessage(response.body);
    } catch (error) {
      const failure =
        error instanceof ContractError
          ? error
          : new ContractError(
              'UNAVAILABLE',
              `messages.get ${id}: ${error instanceof Error ? error.message : String(error)}`,
              {
                reason: 'network',
              },
            );
      return this.transportFailure(failure);
    }
  }

  private transportFailure(error: ContractError): Readable {
    if (error.reason === 'network') {
      this.transportFailuresInARow += 1;
      if (this.transportFailuresInARow >= MAX_TRANSPORT_FAILURES_IN_A_ROW) throw error;
    }
    const source = new Readable({ read: () => undefined });
    source.destroy(error);
    return source;
  }

  private async minimalLabels(id: string): Promise<readonly string[]> {
    const message = await this.gmail.json<{ labelIds?: string[] }>('messages.get', {
      path: `/messages/${encodeURIComponent(id)}`,
      query: { format: 'minimal' },
    });
    return message.labelIds ?? [];
  }

  /** P10: permanent delete of exactly the archived messages, now durable; a failure is remembered. */
  private async deletePending(): Promise<void> {
    while (this.toDelete.length > 0) {
      const ids = this.toDelete.splice(0, BATCH_DELETE_MAX_IDS);
      try {
        await this.gmail.send('messages.batchDelete', {
          method: 'POST',
          path: '/messages/batchDelete',
          body: { ids },
        });
        this.deleted += ids.length;
      } catch (error) {
        if (error instanceof ContractError && (error.code === 'FORBIDDEN' || error.code === 'AUTH_FAILED'))
          throw error;
        this.context.logger.warn('messages archived but not deleted from the source; retried next pass', {
          messages: ids.length,
          error: error instanceof Error ? error.message : String(error),
        });
        this.undeleted.push(...ids);
      }
    }
  }

  private throwIfAborted(): void {
    if (!this.context.signal.aborted) return;
    const reason: unknown = this.context.signal.reason;
    throw reason instanceof TaskAbortedError ? reason : new TaskAbortedError('shutdown');
  }
}
