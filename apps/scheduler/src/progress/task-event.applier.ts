import {
  ContractError,
  RUN_TASK_ERROR_LENGTH,
  type TaskCounters,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RemoteServices } from '../ports/remote-services.js';
import { RunLogService } from '../run-log/run-log.service.js';
import { FOLDER_FAILURE_PREFIX } from '../runs/run-outcome.js';
import { isComplete, type RunCompletion, RunStateRepository } from '../runs/run-state.repository.js';
import {
  type CatalogTally,
  foldAttempt,
  subtractCounters,
  taskCounters,
  TERMINAL_TASK_STATUSES,
  withCatalogTally,
} from '../tasks/task-attempts.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import { RunFinisher } from './run-finisher.js';
import { RunProgressPublisher } from './run-progress.publisher.js';

/** What every task event reports. */
export interface TaskReport {
  readonly tenantId: string;
  readonly runId: string;
  readonly taskId: string;
  readonly mailboxId: string;
  readonly attemptId: string;
  readonly attempt: number;
  readonly counters: TaskCounters;
}

/** A task's finished event as delivered to the scheduler. */
export interface FinishedDelivery {
  readonly event: TaskFinishedEvent;
  /** Its ARCHIVE_EVENTS sequence: every archived event of the task lies before it. */
  readonly streamSequence: number;
  /** 1 on the first delivery of the event to the scheduler. */
  readonly deliveryCount: number;
}

/**
 * Deliveries of a finished event that wait for the catalog's tally (the consumer's back-off
 * between them is 1, 5 and 15 s, then 30 s): a catalog restarting or catching up after a restart
 * is back within that, while a catalog gone for good must not keep the run from ending — the last
 * delivery applies the counters the attempts reported.
 */
const TALLY_DELIVERIES = 5;

/**
 * Applies task progress and finished events to their task and run (SC4): in one transaction the
 * task's attempt counters move and the run's counters change by the same difference, so the run
 * always equals the sum of its tasks. Events are at-least-once: a repeated or late event changes
 * nothing (attempt folding, terminal tasks stay as they are).
 */
@Injectable()
export class TaskEventApplier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TasksRepository,
    private readonly state: RunStateRepository,
    private readonly finisher: RunFinisher,
    private readonly progress: RunProgressPublisher,
    private readonly log: RunLogService,
    private readonly remote: RemoteServices,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
  }

  private readonly logger: Logger;

  async apply(report: TaskReport, delivered?: FinishedDelivery): Promise<void> {
    const finished = delivered?.event;
    const tally = delivered && (await this.tallyOf(report, delivered));
    const run = await this.dataSource.transaction(async (manager): Promise<RunCompletion | undefined> => {
      // The run's row before the task's, in the order the cancel takes them, so the two never
      // deadlock; events of one run serialise on it anyway (they change its counters).
      await this.state.lock(report.runId, manager);
      const task = await this.tasks.lock(report.taskId, manager);
      // Not a task of ours (another deployment's test traffic, a deleted run): nothing to count.
      if (!task || task.runId !== report.runId) return undefined;
      if (TERMINAL_TASK_STATUSES.includes(task.status)) return undefined;
      const before = taskCounters(task);
      const folded = foldAttempt(task, report);
      if (!folded) return undefined;
      Object.assign(task, tally ? withCatalogTally(folded, tally) : folded);
      if (finished) {
        task.status = finished.status;
        task.finishedAt = new Date(finished.finishedAt);
        task.lastError = describeFailure(finished);
      } else {
        task.status = 'running';
      }
      await this.tasks.save(task, manager);
      return this.state.addTaskOutcome(
        task.runId,
        subtractCounters(taskCounters(task), before),
        finished?.status,
        manager,
      );
    });
    if (!run) return;
    this.progress.changed(run.id);
    if (finished) await this.logFinished(run, finished);
    if (isComplete(run)) await this.finisher.finishIfComplete(run.id);
  }

  /**
   * The catalog's tally of a task that was delivered more than once (issue 17 item 8); undefined
   * for a task of one attempt, whose reports counted everything it did. Throws (the event is
   * redelivered with back-off) while the catalog cannot answer, up to TALLY_DELIVERIES.
   */
  private async tallyOf(report: TaskReport, delivered: FinishedDelivery): Promise<CatalogTally | undefined> {
    const task = await this.tasks.find(report.taskId);
    if (!task || TERMINAL_TASK_STATUSES.includes(task.status)) return undefined;
    // NATS may number a redelivery 1 again (see foldAttempt): the attempts the scheduler saw too.
    const redelivered =
      delivered.event.attempts > 1 ||
      task.pastAttemptIds.length > 0 ||
      (task.attemptId ?? report.attemptId) !== report.attemptId;
    if (!redelivered) return undefined;
    try {
      return await this.remote.taskTally({
        tenantId: report.tenantId,
        mailboxId: report.mailboxId,
        taskId: report.taskId,
        throughSequence: delivered.streamSequence,
      });
    } catch (error) {
      const retryable = !(error instanceof ContractError) || error.retryable;
      if (retryable && delivered.deliveryCount < TALLY_DELIVERIES) throw error;
      this.logger.warn('task counters kept as its attempts reported them: the catalog gave no tally', {
        runId: report.runId,
        taskId: report.taskId,
        error: String(error),
      });
      return undefined;
    }
  }

  private async logFinished(run: RunCompletion, event: TaskFinishedEvent): Promise<void> {
    const problem = describeFailure(event);
    if (event.status === 'failed') {
      await this.log.write(
        run,
        'error',
        `Mailbox task failed after ${event.attempts} attempt(s): ${problem}`,
        {
          mailboxId: event.mailboxId,
        },
      );
    } else if (problem !== null) {
      await this.log.write(run, 'warning', `Mailbox task ${event.status} with errors: ${problem}`, {
        mailboxId: event.mailboxId,
      });
    }
  }
}

/** A task's last error as shown: the task's own error, its unopened folders, or its failed messages. */
function describeFailure(event: TaskFinishedEvent): string | null {
  let text: string | null = null;
  const folders = event.folderFailures ?? [];
  if (event.error) text = `${event.error.category}: ${event.error.message}`;
  else if (folders.length > 0) {
    const first = folders[0] as (typeof folders)[number];
    text =
      `${FOLDER_FAILURE_PREFIX}${folders.map((f) => f.folder).join(', ')} (${first.error.category}: ${first.error.message})` +
      (event.counters.messagesFailed > 0 ? `; ${event.counters.messagesFailed} message(s) failed` : '');
  } else if (event.counters.messagesFailed > 0) {
    const first = event.failures[0];
    text =
      `${event.counters.messagesFailed} message(s) failed` +
      (first ? `, e.g. ${first.sourceIdentity} (${first.error.category}: ${first.error.message})` : '');
  }
  return text && text.length > RUN_TASK_ERROR_LENGTH ? `${text.slice(0, RUN_TASK_ERROR_LENGTH - 1)}…` : text;
}
