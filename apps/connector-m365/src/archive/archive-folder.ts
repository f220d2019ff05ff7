import type { Readable } from 'node:stream';

import { MessageWindow, TaskAbortedError, type TaskContext } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';
import { ResponseType } from '@microsoft/microsoft-graph-client';

import { FolderCursor, type M365CursorStore, type RememberedMessage } from '../cursors/folder-cursor.js';
import type { GraphFolder } from '../folders/list-folders.js';
import { failedSource, MAILBOX_REQUESTS_IN_FLIGHT, type MailboxGraph } from '../protocol/mailbox-graph.js';
import { ITEM_NOT_FOUND, RESYNC_REQUIRED } from '../protocol/parse-graph-error.js';

/**
 * Messages per delta page (`Prefer: odata.maxpagesize`). A page is the unit the cursor moves by:
 * 50 keeps a page's JSON small (ids and a few properties) and a crash redoes at most 50 messages,
 * while a 10,000-message folder is 200 page requests against Outlook's 10,000 per 10 minutes.
 */
export const DEFAULT_DELTA_PAGE_SIZE = 50;

/**
 * Restarts of one folder's delta after 410 SyncStateNotFound within one pass. Outlook evicts delta
 * tokens from a cache; a token evicted again right after a restart means something else is wrong.
 */
const MAX_RESYNCS_PER_PASS = 2;

/** Properties asked for in the delta: the id (immutable with the Prefer header) and the flag (P10). */
const DELTA_SELECT = 'id,flag,receivedDateTime,internetMessageId';

/**
 * `$value` downloads in a row that may fail on the transport (reset, cut mid-body) before the task
 * gives up on Graph being reachable. One cut connection is the message's failure (recorded and
 * retried next run, C4); five in a row with nothing in between means the network is down, and the
 * task is retried instead of recording every message of the mailbox as failed.
 */
const MAX_TRANSPORT_FAILURES_IN_A_ROW = 5;

/** `m365:<immutable id>`: unique per mailbox and stable when the message moves between folders. */
export function sourceIdentity(immutableId: string): string {
  return `m365:${immutableId}`;
}

export interface FolderPassOptions {
  readonly cursors: M365CursorStore;
  readonly deleteInSource: boolean;
  readonly pageSize?: number;
}

export interface FolderPassResult {
  readonly folder: string;
  readonly archived: number;
  readonly failed: number;
  /** Listed by the delta, then gone before `$value` was read. */
  readonly vanished: number;
  readonly deleted: number;
  /** 410 SyncStateNotFound restarts. */
  readonly resyncs: number;
}

interface DeltaItem {
  readonly id: string;
  readonly '@removed'?: unknown;
  readonly flag?: { readonly flagStatus?: string };
}

interface DeltaPage {
  readonly value: DeltaItem[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

type Outcome = 'archived' | 'failed' | 'vanished' | 'held';

/**
 * One folder's pass: retries the messages remembered as failed (and deletes remembered as not
 * done), then follows the delta from the cursor's link page by page. Each page's messages are
 * archived with up to 4 requests in flight (MessageWindow, bounded by Outlook's per-mailbox limit)
 * and the cursor moves to the page's next link only once all of them are settled (C2).
 */
export async function archiveFolder(
  context: TaskContext,
  graph: MailboxGraph,
  folder: GraphFolder,
  options: FolderPassOptions,
): Promise<FolderPassResult> {
  const pass = new FolderPass(context, graph, folder, options);
  await pass.run();
  return pass.result();
}

class FolderPass {
  private archived = 0;
  private failedCount = 0;
  private vanished = 0;
  private deleted = 0;
  private resyncs = 0;
  private transportFailuresInARow = 0;
  /** A message failed for a reason not its own (storage, event stream): the cursor stays put. */
  private held = false;
  private failed: RememberedMessage[] = [];
  private undeleted: string[] = [];
  private readonly logger;
  private readonly initialLink: string;

  constructor(
    private readonly context: TaskContext,
    private readonly graph: MailboxGraph,
    private readonly folder: GraphFolder,
    private readonly options: FolderPassOptions,
  ) {
    this.logger = context.logger.child({ folder: folder.path });
    this.initialLink = `${graph.userPath}/mailFolders/${encodeURIComponent(folder.id)}/messages/delta?$select=${DELTA_SELECT}`;
  }

  result(): FolderPassResult {
    return {
      folder: this.folder.path,
      archived: this.archived,
      failed: this.failedCount,
      vanished: this.vanished,
      deleted: this.deleted,
      resyncs: this.resyncs,
    };
  }

  async run(): Promise<void> {
    const cursor = await FolderCursor.load(
      this.options.cursors,
      {
        tenantId: this.context.task.tenantId,
        mailboxId: this.context.task.mailboxId,
        folderId: this.folder.id,
      },
      this.initialLink,
    );
    await this.retryRemembered(cursor);
    let link = cursor.state.link;
    for (;;) {
      this.throwIfAborted();
      this.context.working();
      let page: DeltaPage;
      try {
        page = await this.graph.call(
          `delta of ${this.folder.path}`,
          (client) =>
            client
              .api(link)
              .header(
                'Prefer',
                `odata.maxpagesize=${this.options.pageSize ?? DEFAULT_DELTA_PAGE_SIZE}, IdType="ImmutableId"`,
              )
              .get() as Promise<DeltaPage>,
        );
      } catch (error) {
        if (!this.resyncRequired(error)) throw error;
        // The token was evicted: read the folder again from the start. Already archived messages
        // come back with the same immutable id, so the catalog keeps one row each (no duplicates).
        this.resyncs += 1;
        if (this.resyncs > MAX_RESYNCS_PER_PASS) throw error;
        this.logger.warn('delta token expired; the folder is read again from the start', {
          resyncs: this.resyncs,
        });
        link = this.initialLink;
        continue;
      }
      await this.archivePage(page.value.filter((item) => item['@removed'] === undefined));
      const next = page['@odata.nextLink'] ?? page['@odata.deltaLink'];
      if (next === undefined) {
        throw new ContractError(
          'INTERNAL',
          `Graph's delta page of ${this.folder.path} had neither a nextLink nor a deltaLink`,
        );
      }
      if (!this.held) {
        const dropped = await cursor.save({ link: next, failed: this.failed, undeleted: this.undeleted });
        if (dropped.length > 0)
          this.logger.warn('failed messages no longer remembered for a retry', { dropped: dropped.length });
      }
      if (page['@odata.deltaLink'] !== undefined) break;
      link = next;
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

  /** The messages and deletes remembered by the last pass come first. */
  private async retryRemembered(cursor: FolderCursor): Promise<void> {
    const remembered = cursor.state.failed;
    const undeleted = cursor.state.undeleted;
    if (remembered.length === 0 && undeleted.length === 0) return;
    this.logger.info('retrying messages of the last pass', {
      failed: remembered.length,
      undeleted: undeleted.length,
    });
    await this.inWindow(undeleted, async (id) => {
      await this.deleteInSource(id);
    });
    await this.inWindow(remembered, async (message) => {
      await this.archiveOne(message);
    });
    if (!this.held) {
      await cursor.save({ link: cursor.state.link, failed: this.failed, undeleted: this.undeleted });
    }
  }

  private async archivePage(items: readonly DeltaItem[]): Promise<void> {
    await this.inWindow(
      items.map((item) => ({ id: item.id, flagged: item.flag?.flagStatus === 'flagged' })),
      async (message) => {
        await this.archiveOne(message);
      },
    );
  }

  /** Runs `work` for each item with at most Outlook's per-mailbox request limit in flight. */
  private async inWindow<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    const window = new MessageWindow(Math.min(this.context.messagesInFlight, MAILBOX_REQUESTS_IN_FLIGHT));
    try {
      for (const item of items) await window.add(() => work(item));
    } finally {
      await window.settle();
    }
    await window.drain();
  }

  private async archiveOne(message: RememberedMessage): Promise<Outcome> {
    const source = await this.openValue(message.id);
    if (source === undefined) {
      this.vanished += 1;
      return 'vanished';
    }
    const result = await this.context.archive({
      sourceIdentity: sourceIdentity(message.id),
      folder: this.folder.path,
      source,
    });
    if (result.ok) {
      this.transportFailuresInARow = 0;
      this.archived += 1;
      if (this.options.deleteInSource && !message.flagged) await this.deleteInSource(message.id);
      return 'archived';
    }
    if (result.stage !== 'source' && result.error.retryable) {
      // Our storage or event stream failed, not the message: hold the cursor so it is taken again.
      this.held = true;
      return 'held';
    }
    // The message's own failure (Graph could not produce it, the stream broke): recorded with
    // the task and remembered for the next pass, and the cursor moves on (C4).
    this.failedCount += 1;
    this.failed.push(message);
    return 'failed';
  }

  /**
   * The message's MIME as a stream, or undefined when it is gone. A refusal that is the
   * mailbox's or the app's (401, 403, mailbox not enabled) fails the task; anything else about
   * this message becomes a failing source so the kit records it as this message's failure.
   */
  private async openValue(id: string): Promise<Readable | undefined> {
    try {
      return await this.graph.stream(
        `GET $value of ${id}`,
        (client) =>
          client
            .api(`${this.graph.userPath}/messages/${encodeURIComponent(id)}/$value`)
            .responseType(ResponseType.STREAM)
            .get() as Promise<ReadableStream<Uint8Array>>,
      );
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      if (error instanceof TaskAbortedError || ['AUTH_FAILED', 'FORBIDDEN', 'THROTTLED'].includes(error.code))
        throw error;
      if (error.reason === ITEM_NOT_FOUND) return undefined;
      if (error.code === 'NOT_FOUND') throw error; // the mailbox itself is gone
      if (error.code === 'UNAVAILABLE' && error.reason === 'network') {
        this.transportFailuresInARow += 1;
        if (this.transportFailuresInARow >= MAX_TRANSPORT_FAILURES_IN_A_ROW) throw error;
      }
      return failedSource(error);
    }
  }

  /** P10: exactly this archived message, after it is durable; a failure is remembered, not fatal. */
  private async deleteInSource(id: string): Promise<void> {
    try {
      await this.graph.call(`permanentDelete of ${id}`, (client) =>
        client.api(`${this.graph.userPath}/messages/${encodeURIComponent(id)}/permanentDelete`).post({}),
      );
      this.deleted += 1;
    } catch (error) {
      if (error instanceof ContractError && error.reason === ITEM_NOT_FOUND) return;
      if (error instanceof ContractError && (error.code === 'FORBIDDEN' || error.code === 'AUTH_FAILED'))
        throw error;
      this.logger.warn('message archived but not deleted from the source; retried next pass', {
        error: error instanceof Error ? error.message : String(error),
      });
      this.undeleted.push(id);
    }
  }

  private resyncRequired(error: unknown): boolean {
    return error instanceof ContractError && error.reason === RESYNC_REQUIRED;
  }

  private throwIfAborted(): void {
    if (!this.context.signal.aborted) return;
    const reason: unknown = this.context.signal.reason;
    throw reason instanceof TaskAbortedError ? reason : new TaskAbortedError('shutdown');
  }
}
