import {
  type ArchiveMailboxCommand,
  TASK_FINISHED_V1,
  TASK_PROGRESS_V1,
  type TaskFinishedStatus,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';

import type { ConnectorMetrics } from '../metrics.js';
import type { CategorisedError } from '../policy/policy.js';
import { type AttemptTally, taskError } from './attempt-tally.js';

/** Publishes a task's `task.finished` event, one per task, and counts it in the metrics. */
export async function publishTaskFinished(
  bus: MessageBus,
  metrics: ConnectorMetrics | undefined,
  finished: {
    task: ArchiveMailboxCommand;
    status: TaskFinishedStatus;
    /** The delivery count of the command. */
    attempts: number;
    tally: AttemptTally;
    error?: CategorisedError;
  },
): Promise<void> {
  const { task, tally, error } = finished;
  await bus.publish(
    TASK_FINISHED_V1,
    {
      tenantId: task.tenantId,
      runId: task.runId,
      taskId: task.taskId,
      mailboxId: task.mailboxId,
      status: finished.status,
      attempts: finished.attempts,
      attemptId: tally.id,
      counters: { ...tally.counters },
      ...(error && { error: taskError(error) }),
      failures: tally.failures,
      ...(tally.folderFailures.length > 0 && { folderFailures: tally.folderFailures }),
      finishedAt: new Date().toISOString(),
    },
    // One finished event per task, even when a worker dies between publishing and acking.
    { msgId: `archive-task-finished-${task.taskId}` },
  );
  metrics?.taskFinished(finished.status);
}

/**
 * An attempt's `task.progress` events: at most one per interval, published one after the other
 * and never awaited by the task (progress is advisory: a lost event must neither fail nor slow
 * down the task).
 */
export class ProgressPublisher {
  private lastAt = 0;
  private sequence = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: MessageBus,
    private readonly task: ArchiveMailboxCommand,
    private readonly deliveryCount: number,
    private readonly tally: AttemptTally,
    private readonly options: { intervalMs: number; logger: Logger },
  ) {}

  /** Publishes the counters now unless an event went out within the interval. */
  maybe(): void {
    const now = Date.now();
    if (now - this.lastAt < this.options.intervalMs) return;
    this.lastAt = now;
    this.sequence++;
    const payload = {
      tenantId: this.task.tenantId,
      runId: this.task.runId,
      taskId: this.task.taskId,
      mailboxId: this.task.mailboxId,
      attempt: this.deliveryCount,
      attemptId: this.tally.id,
      counters: { ...this.tally.counters },
      reportedAt: new Date(now).toISOString(),
    };
    const msgId = `archive-task-progress-${this.tally.id}-${this.sequence}`;
    this.inFlight = this.inFlight
      .then(() => this.bus.publish(TASK_PROGRESS_V1, payload, { msgId }))
      .then(
        () => undefined,
        (error: unknown) => this.options.logger.warn('progress event not published', { error }),
      );
  }

  /** Resolves once the events published so far went out (or were logged as lost). */
  settled(): Promise<void> {
    return this.inFlight;
  }
}
