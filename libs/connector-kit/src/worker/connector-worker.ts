import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';

import {
  type ArchiveMailboxCommand,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  ContractError,
  type ProfileType,
  TASK_FINISHED_MAX_FAILURES,
  TASK_FINISHED_V1,
  TASK_PROGRESS_V1,
  type TaskCounters,
  type TaskError,
  type TaskFinishedStatus,
  type TaskFolderFailure,
  type TaskMessageFailure,
  workQueueDurable,
} from '@mailkeep/contracts';
import { DEFAULT_CONNECTOR_CONCURRENCY, DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT } from '@mailkeep/config';
import type { ConsumerHandle, GiveUp, MessageBus, RetryPolicy } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import type { BlobStore } from '@mailkeep/storage';

import type { ConnectorMetrics } from '../metrics.js';
import { type ArchiveMessageResult, createMessageArchiver } from '../pipeline/archive-message.js';
import { type CategorisedError, categorise, TaskAbortedError } from '../policy/policy.js';
import { type MailboxLease, MailboxLeases } from './mailbox-lease.js';
import { RunCancellations } from './run-cancellations.js';

/** Mailboxes one worker process archives at once unless told otherwise (see DEFAULT_CONNECTOR_CONCURRENCY). */
export const DEFAULT_TASK_CONCURRENCY = DEFAULT_CONNECTOR_CONCURRENCY;

/**
 * At most one progress event per task this often. The console refreshes about this fast, and a
 * mailbox of 100 000 messages then adds hundreds of events to the stream, not 100 000.
 */
export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;

/** What a connector's task handler gets besides the command. */
export interface TaskContext {
  readonly task: ArchiveMailboxCommand;
  /** 1 on the first delivery of the command. */
  readonly attempt: number;
  /** Aborted on cancellation or shutdown: stop at the next message boundary (`archive` throws). */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Counters of this attempt so far. */
  readonly counters: Readonly<TaskCounters>;
  /**
   * How many messages the connector may have in `archive` at once (MessageWindow): `archive` is
   * safe to call concurrently, and overlapping messages hides storage and stream latency.
   */
  readonly messagesInFlight: number;
  /**
   * Archives one message (C3, C4). Throws TaskAbortedError before starting when the task is being
   * cancelled or the worker stops; otherwise returns the outcome (a failure is recorded, not thrown).
   */
  archive(message: {
    sourceIdentity: string;
    folder: string;
    /** Every folder or label of the message, `folder` first, where the source has several (Gmail labels). */
    folders?: readonly string[];
    /** A stream, or the bytes of a message that arrived whole (see ArchiveMessageInput.source). */
    source: Readable | Buffer;
    /** The folder is archived again after the source renumbered it (IMAP UIDVALIDITY changed). */
    rescan?: boolean;
  }): Promise<ArchiveMessageResult>;
  /** Publishes a progress event now unless one went out within the progress interval. */
  progress(): void;
  /** Extends the command's ack deadline (archive() does it per message; call it in long listings). */
  working(): void;
  /**
   * The source throttled a request (HTTP 429/503/504, a server-given back-off) and the connector
   * waits `waitMs` before retrying: counted in the metrics and the task's log (C5).
   */
  throttled(waitMs: number): void;
  /**
   * A folder the server refused to open (not a lost connection): the connector goes on with the
   * other folders and the task may still succeed; its `task.finished` lists the folder, and the
   * run ends completed with errors. Retrying the whole task for it would re-read the mailbox for
   * nothing while the folder stays broken; the next run tries it again.
   */
  folderFailed(folder: string, error: unknown): void;
}

export type TaskHandler = (context: TaskContext) => Promise<void>;

export interface ConnectorWorkerOptions {
  readonly type: ProfileType;
  readonly bus: MessageBus;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  readonly handleTask: TaskHandler;
  readonly concurrency?: number;
  /** Messages per task in flight at once (DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT). */
  readonly messagesInFlight?: number;
  readonly metrics?: ConnectorMetrics;
  readonly progressIntervalMs?: number;
  /** Redelivery policy of the task commands (the messaging library's default otherwise). */
  readonly retry?: RetryPolicy;
  readonly ackWaitMs?: number;
  /**
   * Durable consumer name; `connector-<type>`, shared by every worker of the type. The commands
   * stream is a work queue, which allows one consumer per subject: do not invent other names.
   */
  readonly durable?: string;
  /** How often a task waits for a mailbox another task holds (LEASE_RETRY_MS); tests shorten it. */
  readonly leaseRetryMs?: number;
}

export interface ConnectorWorker {
  /** Cancels a task running in this process: it stops at the next message and ends `cancelled`. */
  cancel(taskId: string): boolean;
  /** Stops taking tasks; running ones get `graceMs`, then stop at their next message and are handed back. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** What one delivery of a task did: its counters and the first failed messages. */
interface Attempt {
  readonly id: string;
  counters: TaskCounters;
  failures: TaskMessageFailure[];
  /**
   * Messages not archived because our own storage or event stream failed for a while (a
   * retryable failure past the source stage). Not the message's fault and not yet a failure: the
   * connector holds its cursor before them, the task is retried, and only when it is given up
   * are they counted as failed (so a later attempt that archives them leaves no failure behind).
   */
  heldBack: { count: number; first: TaskMessageFailure[] };
  folderFailures: TaskFolderFailure[];
}

/**
 * Runs a connector's tasks from its durable work queue (C1, C6): several mailboxes at once,
 * heartbeats while a task runs, retryable errors nak'ed with back-off and permanent ones
 * terminated — all from `MessageBus.consume`. Adds the archive pipeline, counters, throttled
 * progress events and one `task.finished` per task.
 */
export async function runConnectorWorker(options: ConnectorWorkerOptions): Promise<ConnectorWorker> {
  const contract = CONNECTOR_ARCHIVE_MAILBOX_V1[options.type];
  const archiveMessage = createMessageArchiver(options);
  const progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const cancellers = new Map<string, { runId: string; controller: AbortController }>();
  const cancelTask = (controller: AbortController) => controller.abort(new TaskAbortedError('cancelled'));
  const cancellations = await RunCancellations.open(options.bus, options.logger);
  await cancellations.follow((runId) => {
    for (const running of cancellers.values()) if (running.runId === runId) cancelTask(running.controller);
  });
  const leases = await MailboxLeases.open(options.bus, options.logger, options.leaseRetryMs);
  // The attempt behind a failure, found again by onGiveUp through the error the consumer hands it
  // (the same instance); weak, so attempts of naked tasks are not kept.
  const attemptOfError = new WeakMap<ContractError, Attempt>();

  const publishFinished = async (
    task: ArchiveMailboxCommand,
    status: TaskFinishedStatus,
    attempts: number,
    attempt: Attempt,
    error?: CategorisedError,
  ) => {
    await options.bus.publish(
      TASK_FINISHED_V1,
      {
        tenantId: task.tenantId,
        runId: task.runId,
        taskId: task.taskId,
        mailboxId: task.mailboxId,
        status,
        attempts,
        attemptId: attempt.id,
        counters: { ...attempt.counters },
        ...(error && { error: taskError(error) }),
        failures: attempt.failures,
        ...(attempt.folderFailures.length > 0 && { folderFailures: attempt.folderFailures }),
        finishedAt: new Date().toISOString(),
      },
      // One finished event per task, even when a worker dies between publishing and acking.
      { msgId: `archive-task-finished-${task.taskId}` },
    );
    options.metrics?.taskFinished(status);
  };

  const handler = async (
    task: ArchiveMailboxCommand,
    delivery: { deliveryCount: number; signal: AbortSignal; working(): void },
  ) => {
    const cancel = new AbortController();
    cancellers.set(task.taskId, { runId: task.runId, controller: cancel });
    const leaseLost = new AbortController();
    const signal = AbortSignal.any([delivery.signal, cancel.signal, leaseLost.signal]);
    let lease: MailboxLease | undefined;
    const attempt = newAttempt();
    const logger = options.logger.child({ taskId: task.taskId, mailboxId: task.mailboxId });
    const progress = progressPublisher(options.bus, task, delivery.deliveryCount, attempt, {
      intervalMs: progressIntervalMs,
      logger,
    });
    const running = options.metrics?.taskStarted();
    const aborted = () => new TaskAbortedError(cancel.signal.aborted ? 'cancelled' : 'shutdown');
    const throttles = { count: 0, waitMs: 0 };
    const context: TaskContext = {
      task,
      attempt: delivery.deliveryCount,
      signal,
      logger,
      counters: attempt.counters,
      messagesInFlight: options.messagesInFlight ?? DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT,
      working: () => delivery.working(),
      progress: () => progress.maybe(),
      folderFailed: (folder, error) => {
        logger.warn('folder not archived: the server would not open it', { folder, error });
        if (attempt.folderFailures.length < TASK_FINISHED_MAX_FAILURES) {
          attempt.folderFailures.push({ folder, error: taskError(categorise(error)) });
        }
      },
      throttled: (waitMs) => {
        throttles.count += 1;
        throttles.waitMs += waitMs;
        options.metrics?.throttled(waitMs);
        // The first one of a task is worth a line; the rest are summed at the end of the task.
        if (throttles.count === 1) logger.warn('the source is throttling; waiting as it asked', { waitMs });
      },
      archive: async (message) => {
        if (signal.aborted) {
          if (!Buffer.isBuffer(message.source)) message.source.destroy();
          throw aborted();
        }
        delivery.working();
        const result = await archiveMessage({
          tenantId: task.tenantId,
          mailboxId: task.mailboxId,
          runId: task.runId,
          taskId: task.taskId,
          redelivered: delivery.deliveryCount > 1,
          ...message,
        });
        count(attempt, result);
        progress.maybe();
        return result;
      },
    };
    try {
      // Asked after registering, so a cancellation written in between is seen by the watch.
      if (await cancellations.isCancelled(task.runId)) cancelTask(cancel);
      // One task per mailbox at a time, whichever worker holds the other (C1, C2).
      lease = await leases.acquire(task, `${hostname()}:${process.pid}:${task.taskId}`, {
        signal,
        onWait: () => delivery.working(),
      });
      lease.lost.addEventListener('abort', () => leaseLost.abort(new TaskAbortedError('shutdown')));
      await options.handleTask(context);
      // A connector that noticed the signal and returned early did not finish the mailbox.
      if (signal.aborted) throw aborted();
      if (attempt.heldBack.count > 0) throw heldBackError(attempt);
      await progress.settled();
      await publishFinished(task, 'succeeded', delivery.deliveryCount, attempt);
    } catch (error) {
      await progress.settled();
      if (cancel.signal.aborted) {
        // Cancelled: a normal end for the task, acked so that it is not redelivered.
        await publishFinished(task, 'cancelled', delivery.deliveryCount, attempt);
        return;
      }
      if (delivery.signal.aborted) {
        options.metrics?.taskFinished('handed-back');
        logger.info('task handed back at shutdown', { archived: attempt.counters.messagesArchived });
        // Retryable, so the consumer naks it at once (it is stopping) for another worker.
        throw new TaskAbortedError('shutdown');
      }
      const failure = asContractError(error);
      // For onGiveUp, which publishes the failed event if the consumer gives the task up.
      attemptOfError.set(failure, attempt);
      throw failure;
    } finally {
      if (throttles.count > 0) logger.info('throttled by the source during the task', { ...throttles });
      await lease?.release();
      running?.();
      cancellers.delete(task.taskId);
    }
  };

  const onGiveUp = async (giveUp: GiveUp<ArchiveMailboxCommand>) => {
    const task = giveUp.payload;
    if (!task) return; // An invalid command: nothing to report a task for.
    const attempt = attemptOfError.get(giveUp.error) ?? newAttempt();
    countHeldBackAsFailed(attempt);
    await publishFinished(task, 'failed', giveUp.deliveryCount, attempt, categorise(giveUp.error));
  };

  const consumer: ConsumerHandle = await options.bus.consume(contract, {
    durable: options.durable ?? workQueueDurable(options.type),
    concurrency: options.concurrency ?? DEFAULT_TASK_CONCURRENCY,
    handler,
    onGiveUp,
    ...(options.retry && { retry: options.retry }),
    ...(options.ackWaitMs !== undefined && { ackWaitMs: options.ackWaitMs }),
  });

  return {
    cancel(taskId) {
      const running = cancellers.get(taskId);
      if (running) cancelTask(running.controller);
      return running !== undefined;
    },
    stop: async (stopOptions) => {
      cancellations.stop();
      await consumer.stop(stopOptions);
    },
  };
}

function newAttempt(): Attempt {
  return {
    id: randomUUID(),
    counters: { messagesArchived: 0, duplicatesSkipped: 0, messagesFailed: 0, bytesArchived: 0 },
    failures: [],
    heldBack: { count: 0, first: [] },
    folderFailures: [],
  };
}

function count(attempt: Attempt, result: ArchiveMessageResult): void {
  const counters = attempt.counters;
  if (!result.ok && result.stage !== 'source' && result.error.retryable) {
    attempt.heldBack.count++;
    if (attempt.heldBack.first.length < TASK_FINISHED_MAX_FAILURES) {
      attempt.heldBack.first.push({ sourceIdentity: result.sourceIdentity, error: taskError(result.error) });
    }
  } else if (!result.ok) {
    counters.messagesFailed++;
    if (attempt.failures.length < TASK_FINISHED_MAX_FAILURES) {
      attempt.failures.push({ sourceIdentity: result.sourceIdentity, error: taskError(result.error) });
    }
  } else if (result.duplicate) {
    counters.duplicatesSkipped++;
  } else {
    counters.messagesArchived++;
    counters.bytesArchived += result.size;
  }
}

/**
 * The task did its mailbox except messages our own side could not take: never a success (the
 * run would call them archived-with-errors and only the next run would take them). Retryable, so
 * the command is redelivered and the next attempt starts from the connector's held cursor.
 */
function heldBackError(attempt: Attempt): ContractError {
  const first = attempt.heldBack.first[0] as TaskMessageFailure;
  return new ContractError(
    'TEMPORARY',
    `${attempt.heldBack.count} message(s) not archived because storage or the event stream failed ` +
      `(first: ${first.error.message}); the task is retried`,
    { reason: 'temporary' },
  );
}

/** A given-up task's held-back messages are failures after all (reported with the others). */
function countHeldBackAsFailed(attempt: Attempt): void {
  attempt.counters.messagesFailed += attempt.heldBack.count;
  const room = TASK_FINISHED_MAX_FAILURES - attempt.failures.length;
  attempt.failures.push(...attempt.heldBack.first.slice(0, Math.max(0, room)));
  attempt.heldBack = { count: 0, first: [] };
}

function taskError(error: CategorisedError): TaskError {
  return { code: error.code, category: error.category, message: error.message.slice(0, 4_000) };
}

/**
 * Non-ContractErrors become ContractErrors with the retryability their category says, so a
 * connector may throw a plain network error and still get it retried, while a bug that throws a
 * TypeError is also retried (the consumer's own rule) a bounded number of times.
 */
function asContractError(error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  const { code, message, category } = categorise(error);
  return new ContractError(code, message, { reason: category });
}

function progressPublisher(
  bus: MessageBus,
  task: ArchiveMailboxCommand,
  deliveryCount: number,
  attempt: Attempt,
  options: { intervalMs: number; logger: Logger },
) {
  let lastAt = 0;
  let sequence = 0;
  let inFlight: Promise<void> = Promise.resolve();
  return {
    maybe(): void {
      const now = Date.now();
      if (now - lastAt < options.intervalMs) return;
      lastAt = now;
      sequence++;
      const payload = {
        tenantId: task.tenantId,
        runId: task.runId,
        taskId: task.taskId,
        mailboxId: task.mailboxId,
        attempt: deliveryCount,
        attemptId: attempt.id,
        counters: { ...attempt.counters },
        reportedAt: new Date(now).toISOString(),
      };
      // Progress is advisory: a lost event must neither fail nor slow down the task.
      inFlight = inFlight
        .then(() =>
          bus.publish(TASK_PROGRESS_V1, payload, {
            msgId: `archive-task-progress-${attempt.id}-${sequence}`,
          }),
        )
        .then(
          () => undefined,
          (error: unknown) => options.logger.warn('progress event not published', { error }),
        );
    },
    settled: () => inFlight,
  };
}
