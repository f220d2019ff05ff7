import { hostname } from 'node:os';

import { type ArchiveMailboxCommand, ContractError } from '@mailkeep/contracts';
import type { Delivery, GiveUp, MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';

import type { ConnectorMetrics } from '../metrics.js';
import type { MessageArchiver } from '../pipeline/archive-message.js';
import { categorise, TaskAbortedError } from '../policy/policy.js';
import { AttemptTally } from './attempt-tally.js';
import type { TaskContext, TaskHandler } from './connector-worker.js';
import type { MailboxLease, MailboxLeases } from './mailbox-lease.js';
import type { RunCancellations } from './run-cancellations.js';
import { cancelTask, type RunningTasks } from './running-tasks.js';
import { ProgressPublisher, publishTaskFinished } from './task-events.js';

/** What every attempt of one worker shares. */
export interface AttemptDeps {
  readonly bus: MessageBus;
  readonly logger: Logger;
  readonly metrics: ConnectorMetrics | undefined;
  readonly handleTask: TaskHandler;
  readonly archiveMessage: MessageArchiver;
  readonly messagesInFlight: number;
  readonly progressIntervalMs: number;
  readonly cancellations: RunCancellations;
  readonly leases: MailboxLeases;
  readonly running: RunningTasks;
  /**
   * The tally behind a failure, found again by `giveUp` through the error the consumer hands it
   * (the same instance); weak, so the tallies of nak'ed attempts are not kept.
   */
  readonly failedTallies: WeakMap<ContractError, AttemptTally>;
}

/**
 * One delivery of an archive-mailbox command (C1, C6): `prepare` registers it for cancellation
 * and takes the mailbox's lease, `run` hands the connector its context, `finish` reports the
 * outcome (`succeeded`, `cancelled`, handed back at shutdown, or a failure the consumer naks or
 * terminates), `release` lets go of the lease; `giveUp` reports a task the consumer gave up.
 * Returning from `execute` acks the command, throwing naks or terminates it.
 */
export class TaskAttempt {
  private readonly tally = new AttemptTally();
  /** Aborted by a cancellation of the task or its run. */
  private readonly cancelled = new AbortController();
  /** Aborted when the mailbox's lease could not be renewed. */
  private readonly leaseLost = new AbortController();
  /** Stop at the next message: cancelled, lease lost, or the worker is stopping. */
  private readonly signal: AbortSignal;
  private readonly logger: Logger;
  private readonly progress: ProgressPublisher;
  private readonly throttles = { count: 0, waitMs: 0 };
  private lease: MailboxLease | undefined;
  private readonly stopRunningGauge: (() => void) | undefined;

  constructor(
    private readonly deps: AttemptDeps,
    private readonly task: ArchiveMailboxCommand,
    private readonly delivery: Delivery,
  ) {
    deps.running.add(task, this.cancelled);
    this.signal = AbortSignal.any([delivery.signal, this.cancelled.signal, this.leaseLost.signal]);
    this.logger = deps.logger.child({ taskId: task.taskId, mailboxId: task.mailboxId });
    this.progress = new ProgressPublisher(deps.bus, task, delivery.deliveryCount, this.tally, {
      intervalMs: deps.progressIntervalMs,
      logger: this.logger,
    });
    this.stopRunningGauge = deps.metrics?.taskStarted();
  }

  /** The whole attempt, as the consumer's handler. */
  async execute(): Promise<void> {
    try {
      await this.prepare();
      await this.run();
      await this.finish();
    } catch (error) {
      await this.finishAfter(error);
    } finally {
      await this.release();
    }
  }

  /** A cancelled run stops here; a mailbox another task holds is waited for (C1, C2). */
  private async prepare(): Promise<void> {
    // Asked after registering, so a cancellation written in between is seen by the watch.
    if (await this.deps.cancellations.isCancelled(this.task.runId)) cancelTask(this.cancelled);
    this.lease = await this.deps.leases.acquire(
      this.task,
      `${hostname()}:${process.pid}:${this.task.taskId}`,
      { signal: this.signal, onWait: () => this.delivery.working() },
    );
    this.lease.lost.addEventListener('abort', () => this.leaseLost.abort(new TaskAbortedError('shutdown')));
  }

  /** The connector archives the mailbox; it is done only if it was neither stopped nor held back. */
  private async run(): Promise<void> {
    await this.deps.handleTask(this.context());
    // A connector that noticed the signal and returned early did not finish the mailbox.
    if (this.signal.aborted) throw this.aborted();
    const heldBack = this.tally.heldBackError();
    if (heldBack) throw heldBack;
  }

  private async finish(): Promise<void> {
    await this.progress.settled();
    await this.publishFinished('succeeded');
  }

  /**
   * Cancelled: a normal end, acked so that it is not redelivered. Stopped at shutdown: handed
   * back (nak'ed at once) for another worker. Anything else is a ContractError for the consumer,
   * which naks it with back-off or terminates it and calls `giveUp`.
   */
  private async finishAfter(error: unknown): Promise<void> {
    await this.progress.settled();
    if (this.cancelled.signal.aborted) {
      await this.publishFinished('cancelled');
      return;
    }
    if (this.delivery.signal.aborted) {
      this.deps.metrics?.taskFinished('handed-back');
      this.logger.info('task handed back at shutdown', { archived: this.tally.counters.messagesArchived });
      throw new TaskAbortedError('shutdown');
    }
    const failure = asContractError(error);
    this.deps.failedTallies.set(failure, this.tally);
    throw failure;
  }

  private async release(): Promise<void> {
    if (this.throttles.count > 0)
      this.logger.info('throttled by the source during the task', { ...this.throttles });
    await this.lease?.release();
    this.stopRunningGauge?.();
    this.deps.running.remove(this.task.taskId);
  }

  /**
   * The consumer gave the task up (a permanent error, or the last delivery failed): `failed`, with
   * the tally of the attempt that failed when this process ran it (else an empty one), its
   * held-back messages now counted as failures.
   */
  static async giveUp(deps: AttemptDeps, giveUp: GiveUp<ArchiveMailboxCommand>): Promise<void> {
    const task = giveUp.payload;
    if (!task) return; // An invalid command: nothing to report a task for.
    const tally = deps.failedTallies.get(giveUp.error) ?? new AttemptTally();
    tally.countHeldBackAsFailed();
    await publishTaskFinished(deps.bus, deps.metrics, {
      task,
      status: 'failed',
      attempts: giveUp.deliveryCount,
      tally,
      error: categorise(giveUp.error),
    });
  }

  private publishFinished(status: 'succeeded' | 'cancelled'): Promise<void> {
    return publishTaskFinished(this.deps.bus, this.deps.metrics, {
      task: this.task,
      status,
      attempts: this.delivery.deliveryCount,
      tally: this.tally,
    });
  }

  private aborted(): TaskAbortedError {
    return new TaskAbortedError(this.cancelled.signal.aborted ? 'cancelled' : 'shutdown');
  }

  private context(): TaskContext {
    const { task, delivery, tally, signal, logger } = this;
    return {
      task,
      attempt: delivery.deliveryCount,
      signal,
      logger,
      counters: tally.counters,
      messagesInFlight: this.deps.messagesInFlight,
      working: () => delivery.working(),
      progress: () => this.progress.maybe(),
      folderFailed: (folder, error) => {
        logger.warn('folder not archived: the server would not open it', { folder, error });
        tally.folderFailed(folder, categorise(error));
      },
      throttled: (waitMs) => this.throttled(waitMs),
      archive: async (message) => {
        if (signal.aborted) {
          if (!Buffer.isBuffer(message.source)) message.source.destroy();
          throw this.aborted();
        }
        delivery.working();
        const result = await this.deps.archiveMessage({
          tenantId: task.tenantId,
          mailboxId: task.mailboxId,
          runId: task.runId,
          taskId: task.taskId,
          redelivered: delivery.deliveryCount > 1,
          ...message,
        });
        tally.count(result);
        this.progress.maybe();
        return result;
      },
    };
  }

  private throttled(waitMs: number): void {
    this.throttles.count += 1;
    this.throttles.waitMs += waitMs;
    this.deps.metrics?.throttled(waitMs);
    // The first one of a task is worth a line; the rest are summed at the end of the task.
    if (this.throttles.count === 1) {
      this.logger.warn('the source is throttling; waiting as it asked', { waitMs });
    }
  }
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
