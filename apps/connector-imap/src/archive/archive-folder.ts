import type { Readable } from 'node:stream';

import {
  type ArchiveMessageResult,
  CursorTracker,
  MessageWindow,
  type StoredCursor,
  type TaskContext,
} from '@mailkeep/connector-kit';
import type { Logger } from '@mailkeep/observability';

import {
  type CursorStart,
  FolderCursor,
  type ImapCursor,
  type ImapCursorStore,
} from '../cursors/folder-cursor.js';
import { deleteArchived } from '../delete/delete-archived.js';
import {
  DEFAULT_FETCH_PLAN_LIMITS,
  type FetchPlanLimits,
  type FetchStep,
  planFetches,
} from '../fetch/fetch-plan.js';
import { fetchRange, listMessages, streamMessage } from '../fetch/message-fetcher.js';
import type { ArchiveFolder } from '../folders/folder-selection.js';
import type { BodyStreamer } from '../protocol/body-streamer.js';
import { openFolder } from '../protocol/folder-commands.js';
import type { ImapSession } from '../protocol/imap-client.js';
import { toContractError } from '../protocol/parse-imap-error.js';
import { throwIfAborted } from './abort.js';

/**
 * UIDs listed per size listing. A listing answer is one line per message held in memory until it
 * is planned; 10,000 lines are well under a megabyte, and a 100,000-message folder needs ten.
 */
export const LISTING_WINDOW_UIDS = 10_000;

/**
 * A cursor is saved after this many settled messages (and at the end of the folder), so a killed
 * worker redoes at most a few hundred small messages; each save is one KV write.
 */
export const CHECKPOINT_EVERY_MESSAGES = 200;

/** ... or after this long with progress, for folders of large messages that take minutes per 200. */
export const CHECKPOINT_INTERVAL_MS = 15_000;

/** `imap:<folder>:<uidvalidity>:<uid>`: unique per mailbox (UIDs are unique per folder and UIDVALIDITY). */
export function sourceIdentity(folder: string, uidValidity: number, uid: number): string {
  return `imap:${folder}:${uidValidity}:${uid}`;
}

/** The server refused to select the folder (the connection is fine): a failure of this folder only. */
export class FolderNotOpenedError extends Error {
  constructor(
    readonly folder: string,
    override readonly cause: unknown,
  ) {
    super(`Folder ${folder} could not be opened`, { cause });
    this.name = 'FolderNotOpenedError';
  }
}

export interface FolderPassOptions {
  readonly cursors: ImapCursorStore;
  /** The folder's cursor as the task read it before the pass (undefined: none yet). */
  readonly stored: StoredCursor<ImapCursor> | undefined;
  /**
   * The task's second connection for large messages (BodyStreamer), opened on first use; undefined
   * (or resolving undefined) when there is none: large messages are then fetched in parts.
   */
  readonly bodies?: () => Promise<BodyStreamer | undefined>;
  /** P10: delete the archived messages after a pass without failures (the folder is opened read-write). */
  readonly deleteInSource: boolean;
  readonly limits?: FetchPlanLimits;
}

export interface FolderPassResult {
  readonly folder: string;
  readonly start: CursorStart;
  readonly archived: number;
  readonly failed: number;
  /** Listed, then gone before it was fetched (expunged by someone else). */
  readonly vanished: number;
  readonly deleted: number;
}

/**
 * Archives one folder's new messages (C2–C4, C7): selects it (EXAMINE unless delete in source is
 * on), resumes after its cursor (from the start when UIDVALIDITY changed), lists sizes window by
 * window, fetches small messages in pipelined ranges and streams large ones, hands each to
 * `context.archive` in UID order, checkpoints the cursor at the tracker's safe position, and
 * finally deletes what the pass archived when the profile asks for it.
 */
export async function archiveFolder(
  context: TaskContext,
  session: ImapSession,
  folder: ArchiveFolder,
  options: FolderPassOptions,
): Promise<FolderPassResult> {
  const logger = context.logger.child({ folder: folder.name });
  // Opened by the bytes the server listed, whatever imapflow would make of the name.
  const mailbox = await session
    .call(`SELECT ${folder.name}`, (client) => openFolder(client, folder.listed, !options.deleteInSource))
    .catch((error: unknown) => {
      throw session.usable ? new FolderNotOpenedError(folder.name, error) : error;
    });
  const cursor = FolderCursor.fromStored(
    options.cursors,
    { tenantId: context.task.tenantId, mailboxId: context.task.mailboxId, folder: folder.name },
    Number(mailbox.uidValidity),
    options.stored,
    logger,
  );
  const pass = new FolderPass(context, session, folder, cursor, options, logger);
  await pass.run(mailbox.exists, mailbox.uidNext || undefined, mailbox.highestModseq?.toString());
  return pass.result();
}

class FolderPass {
  private readonly tracker: CursorTracker<number>;
  /** UIDs archived in this pass that were not \Flagged when listed: the delete candidates. */
  private readonly deletable: number[] = [];
  private archived = 0;
  private failed = 0;
  private vanished = 0;
  private deleted = 0;
  private settledSinceSave = 0;
  private savedAt = Date.now();
  /** UIDs at or below it were settled by an earlier pass. */
  private readonly resumeAfter: number;
  /** The body connection with this folder open, once asked for; undefined when it cannot serve it. */
  private streamerForFolder: Promise<BodyStreamer | undefined> | undefined;
  private streamer: BodyStreamer | undefined;

  constructor(
    private readonly context: TaskContext,
    private readonly session: ImapSession,
    private readonly folder: ArchiveFolder,
    private readonly cursor: FolderCursor,
    private readonly options: FolderPassOptions,
    private readonly logger: Logger,
  ) {
    this.resumeAfter = cursor.lastUid;
    // With delete in source, messages at or below the cursor that are still there (archived by a
    // pass that then did not delete, or failed) are taken again: the tracker starts below them.
    this.tracker = new CursorTracker<number>(options.deleteInSource ? 0 : this.resumeAfter);
  }

  result(): FolderPassResult {
    return {
      folder: this.folder.name,
      start: this.cursor.start,
      archived: this.archived,
      failed: this.failed,
      vanished: this.vanished,
      deleted: this.deleted,
    };
  }

  async run(exists: number, uidNext: number | undefined, highestModseq: string | undefined): Promise<void> {
    const first = this.options.deleteInSource ? 1 : this.resumeAfter + 1;
    const last = uidNext === undefined ? undefined : uidNext - 1;
    try {
      if (exists > 0 && (last === undefined || first <= last)) {
        for (let from = first; last === undefined || from <= last; from += LISTING_WINDOW_UIDS) {
          throwIfAborted(this.context);
          this.context.working();
          const to = last === undefined ? '*' : Math.min(from + LISTING_WINDOW_UIDS - 1, last);
          const listed = await listMessages(this.session, from, to);
          // At or below the cursor only in delete mode, and never a flagged message: it stays.
          const wanted = listed.filter((m) => m.uid > this.resumeAfter || !m.flagged);
          const flagged = new Set(wanted.filter((m) => m.flagged).map((m) => m.uid));
          await this.archiveSteps(
            planFetches(wanted, this.options.limits ?? DEFAULT_FETCH_PLAN_LIMITS),
            flagged,
          );
          if (to === '*') break;
        }
      }
    } catch (error) {
      await this.checkpoint().catch((saveError: unknown) =>
        this.logger.warn('cursor not saved after a failed pass', { error: saveError }),
      );
      throw error;
    }
    // A complete pass (nothing held back): the cursor records the HIGHESTMODSEQ it started from,
    // and moves up to UIDNEXT - 1 even when the last UIDs were expunged before they were listed
    // (UIDs are never reused), so the next pass can tell from STATUS alone that nothing is new.
    const complete = this.tracker.inFlight === 0;
    const settled = this.tracker.safe ?? 0;
    await this.cursor.save(
      complete && last !== undefined ? Math.max(settled, last) : settled,
      complete ? highestModseq : undefined,
      { complete },
    );
    const { folder: _folder, ...counts } = this.result(); // the logger has the folder already
    this.logger.info('folder archived', counts);
    await this.deleteIfClean();
  }

  /**
   * P10 rule: a folder's archived messages are deleted only after a complete pass in which no
   * message failed. One failure (a storage fault, a message the server cannot produce) and the
   * pass deletes nothing; the next pass takes the remaining messages again (delete mode lists the
   * whole folder) and deletes them once a pass is clean. Flagged messages are never deleted.
   */
  private async deleteIfClean(): Promise<void> {
    if (!this.options.deleteInSource || this.deletable.length === 0) return;
    if (this.failed > 0) {
      this.logger.warn('nothing deleted from the source: messages of this pass failed', {
        failed: this.failed,
        archived: this.archived,
      });
      return;
    }
    this.deleted = (await deleteArchived(this.session, this.deletable)).length;
    this.logger.info('archived messages deleted from the source', { deleted: this.deleted });
  }

  /**
   * Archives the steps' messages in UID order with up to `context.messagesInFlight` of them in
   * flight (MessageWindow), so one message's fsync and stream ack overlap the next ones'. The
   * cursor is checkpointed here, between starts, never by two messages at once.
   */
  private async archiveSteps(steps: readonly FetchStep[], flagged: ReadonlySet<number>): Promise<void> {
    const window = new MessageWindow(this.context.messagesInFlight);
    // While one range is archived, the next one is already being fetched (one range ahead), so
    // the server and the storage work at the same time.
    let ahead: { index: number; sources: Promise<Map<number, Buffer>> } | undefined;
    const prefetch = (index: number) => {
      const step = steps[index];
      if (step?.kind !== 'range') return undefined;
      const sources = fetchRange(this.session, step.uids);
      sources.catch(() => undefined); // awaited when its turn comes; unawaited if the pass ends first
      return { index, sources };
    };
    try {
      for (let index = 0; index < steps.length; index++) {
        const step = steps[index] as FetchStep;
        if (step.kind === 'stream') {
          // A streamed message holds the connection until it is stored: nothing is prefetched
          // behind it, and its source is opened only once it has a place in the window.
          await this.start(window, step.uid, flagged.has(step.uid), () => this.openStream(step.uid));
          continue;
        }
        const sources = await (ahead?.index === index ? ahead.sources : fetchRange(this.session, step.uids));
        ahead = prefetch(index + 1);
        for (const uid of step.uids) {
          const source = sources.get(uid);
          sources.delete(uid); // let each buffer go once handed over
          // Passed as the buffer it is: the pipeline stores it without a stream around it.
          await this.start(window, uid, flagged.has(uid), () => Promise.resolve(source));
        }
      }
    } finally {
      // Also on a failure: the messages in flight settle before the caller saves the cursor.
      await window.settle();
    }
    await window.drain(); // rethrows the first message that threw (lost connection, cancellation)
    await this.maybeCheckpoint();
  }

  /**
   * A large message as one stream: whole on the body connection when it has this folder open with
   * the same UIDVALIDITY, otherwise by imapflow's partial fetches.
   */
  private async openStream(uid: number): Promise<Readable | undefined> {
    const streamer = await this.bodyStreamer();
    return streamer ? streamer.stream(uid) : streamMessage(this.session, uid);
  }

  private bodyStreamer(): Promise<BodyStreamer | undefined> {
    this.streamerForFolder ??= (async () => {
      const streamer = await this.options.bodies?.();
      if (!streamer) return undefined;
      try {
        // The same numbering as the session's, or its UIDs would name other messages.
        const uidValidity = await streamer.examine(this.folder.listed);
        if (uidValidity !== this.cursor.uidValidity) return undefined;
        this.streamer = streamer;
        return streamer;
      } catch (error) {
        this.logger.warn(
          'large messages of this folder are fetched in parts: the body connection cannot open it',
          {
            error,
          },
        );
        return undefined;
      }
    })();
    return this.streamerForFolder;
  }

  /** Starts one message once the window has a place for it, after a checkpoint when one is due. */
  private async start(
    window: MessageWindow,
    uid: number,
    flagged: boolean,
    open: () => Promise<Readable | Buffer | undefined>,
  ): Promise<void> {
    await this.maybeCheckpoint();
    await window.add(async () => {
      // Started (for the tracker) when its place is granted, so positions start in UID order.
      this.tracker.start(uid);
      await this.archiveOne(uid, flagged, await open());
    });
  }

  private async archiveOne(
    uid: number,
    flagged: boolean,
    source: Readable | Buffer | undefined,
  ): Promise<void> {
    if (!source) {
      // Expunged by someone else between the listing and the fetch: nothing left to archive.
      this.vanished++;
      this.settled(uid);
      return;
    }
    const result = await this.context.archive({
      sourceIdentity: sourceIdentity(this.folder.name, this.cursor.uidValidity, uid),
      folder: this.folder.name,
      source,
      ...(this.cursor.rescanning && { rescan: true }),
    });
    if (result.ok) {
      this.archived++;
      if (!flagged) this.deletable.push(uid);
      this.settled(uid);
    } else {
      this.failed++;
      this.settleFailure(uid, result);
    }
  }

  private settled(uid: number): void {
    this.tracker.archived(uid);
    this.settledSinceSave++;
  }

  /**
   * Which failures move the cursor on (C2, C4). The message's own failure (the server could not
   * produce it) is settled: recorded with the task, it does not hold the mailbox back. A dropped
   * connection fails the task (retried), and a transient fault of our own storage or event stream
   * holds the cursor before the message: in neither case is the message at fault, and the next
   * pass takes it again instead of losing it. The pass goes on with the other messages (C4).
   */
  private settleFailure(uid: number, result: Extract<ArchiveMessageResult, { ok: false }>): void {
    if (result.stage === 'source' && !this.session.usable) {
      throw toContractError(
        this.session.connectionError ?? new Error(result.error.message),
        `UID FETCH ${uid}`,
      );
    }
    // The body connection broke: the message is not at fault either; the task is retried.
    if (result.stage === 'source' && this.streamer && !this.streamer.usable) {
      throw toContractError(
        this.streamer.connectionError ?? new Error(result.error.message),
        `UID FETCH ${uid} (body connection)`,
      );
    }
    if (result.stage !== 'source' && result.error.retryable) {
      this.logger.warn('message not archived; the cursor stays before it', { uid, stage: result.stage });
      return;
    }
    this.tracker.failed(uid, result.error);
    this.settledSinceSave++;
  }

  private async maybeCheckpoint(): Promise<void> {
    if (
      this.settledSinceSave >= CHECKPOINT_EVERY_MESSAGES ||
      (this.settledSinceSave > 0 && Date.now() - this.savedAt >= CHECKPOINT_INTERVAL_MS)
    ) {
      await this.checkpoint();
    }
  }

  private async checkpoint(): Promise<void> {
    const safe = this.tracker.safe;
    if (safe !== undefined) await this.cursor.save(safe);
    this.settledSinceSave = 0;
    this.savedAt = Date.now();
  }
}
