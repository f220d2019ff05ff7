import type { Readable } from 'node:stream';

import {
  type ArchiveMailboxCommand,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  type ProfileType,
  type TaskCounters,
  workQueueDurable,
} from '@mailkeep/contracts';
import { DEFAULT_CONNECTOR_CONCURRENCY, DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT } from '@mailkeep/config';
import type { ConsumerHandle, MessageBus, RetryPolicy } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import type { BlobStore } from '@mailkeep/storage';

import type { ConnectorMetrics } from '../metrics.js';
import { type ArchiveMessageResult, createMessageArchiver } from '../pipeline/archive-message.js';
import { MailboxLeases } from './mailbox-lease.js';
import { RunCancellations } from './run-cancellations.js';
import { RunningTasks } from './running-tasks.js';
import { type AttemptDeps, TaskAttempt } from './task-attempt.js';

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

/**
 * Runs a connector's tasks from its durable work queue (C1, C6): several mailboxes at once,
 * heartbeats while a task runs, retryable errors nak'ed with back-off and permanent ones
 * terminated — all from `MessageBus.consume`. Each delivery is a `TaskAttempt`, which adds the
 * archive pipeline, counters, throttled progress events and one `task.finished` per task.
 */
export async function runConnectorWorker(options: ConnectorWorkerOptions): Promise<ConnectorWorker> {
  const running = new RunningTasks();
  const cancellations = await RunCancellations.open(options.bus, options.logger);
  await cancellations.follow((runId) => running.cancelRun(runId));
  const deps: AttemptDeps = {
    bus: options.bus,
    logger: options.logger,
    metrics: options.metrics,
    handleTask: options.handleTask,
    archiveMessage: createMessageArchiver(options),
    messagesInFlight: options.messagesInFlight ?? DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT,
    progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    cancellations,
    leases: await MailboxLeases.open(options.bus, options.logger, options.leaseRetryMs),
    running,
    failedTallies: new WeakMap(),
  };
  const consumer: ConsumerHandle = await options.bus.consume(CONNECTOR_ARCHIVE_MAILBOX_V1[options.type], {
    durable: options.durable ?? workQueueDurable(options.type),
    concurrency: options.concurrency ?? DEFAULT_TASK_CONCURRENCY,
    handler: (task, delivery) => new TaskAttempt(deps, task, delivery).execute(),
    onGiveUp: (giveUp) => TaskAttempt.giveUp(deps, giveUp),
    ...(options.retry && { retry: options.retry }),
    ...(options.ackWaitMs !== undefined && { ackWaitMs: options.ackWaitMs }),
  });

  return {
    cancel: (taskId) => running.cancel(taskId),
    stop: async (stopOptions) => {
      cancellations.stop();
      await consumer.stop(stopOptions);
    },
  };
}
