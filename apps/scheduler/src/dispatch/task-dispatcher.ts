import {
  type ArchiveMailboxCommand,
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  ContractError,
  RUN_STARTED_V1,
} from '@mailkeep/contracts';
import { DEFAULT_DISPATCH_LEASE_SECONDS } from '@mailkeep/config';
import { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { FIRING_OPTIONS, type FiringOptions } from '../firing/firing.loop.js';
import { RemoteServices } from '../ports/remote-services.js';
import { type QueuedRun, RunDispatcher } from '../ports/run-dispatcher.js';
import { RunFinisher } from '../progress/run-finisher.js';
import { RunLogService } from '../run-log/run-log.service.js';
import type { RunEntity } from '../runs/run.entity.js';
import { RunCancelService } from '../runs/run-cancel.service.js';
import { RunStateRepository } from '../runs/run-state.repository.js';
import { type PendingTask, TasksRepository } from '../tasks/tasks.repository.js';
import { mailboxPages } from './mailbox-pages.js';

/** How long a replica holds a run it dispatches by default (see DEFAULT_DISPATCH_LEASE_SECONDS). */
export const DEFAULT_DISPATCH_LEASE_MS = DEFAULT_DISPATCH_LEASE_SECONDS * 1000;

/**
 * Runs dispatched at once by one process. Dispatch is I/O-bound (PostgreSQL, NATS); a few at
 * once keep one large run from delaying the small ones fired with it.
 */
export const DISPATCH_CONCURRENCY = 4;

/**
 * How long a dispatch publish is sent again while JetStream does not ack it (MessageBus.publish
 * retryForMs, same Nats-Msg-Id): a NATS node lost in a cluster costs a leader election of a few
 * seconds, a restarted single server about as much. Under the dispatch lease (60 s), so the run is
 * not taken over meanwhile; past it, the dispatch is handed to the recovery pass.
 */
const DISPATCH_PUBLISH_RETRY_MS = 30_000;

/** Pending tasks republished per round after a crash (one resolve page's worth). */
const PENDING_BATCH = 1_000;

/** Errors after which retrying the dispatch gives the same answer: the run fails instead. */
function isPermanent(error: unknown): error is ContractError {
  return error instanceof ContractError && !error.retryable;
}

/**
 * Carries a queued run out (SC3): resolves its mailboxes page by page, creates one task per
 * mailbox and publishes one command per task on the connector work queue with `Nats-Msg-Id` =
 * task id. Each page's tasks and the run's progress through the pages commit together, then the
 * commands go out and the tasks become `queued`; after a crash the run's pending tasks are
 * published again (the stream drops duplicates) and dispatch goes on from the page it reached.
 */
@Injectable()
export class TaskDispatcher extends RunDispatcher implements OnApplicationShutdown {
  private readonly waiting: QueuedRun[] = [];
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly state: RunStateRepository,
    private readonly tasks: TasksRepository,
    private readonly remote: RemoteServices,
    private readonly finisher: RunFinisher,
    private readonly cancels: RunCancelService,
    private readonly log: RunLogService,
    private readonly bus: MessageBus,
    @Inject(FIRING_OPTIONS) private readonly options: FiringOptions,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    super();
    this.logger = context.logger;
  }

  /** Queues the run for dispatch in this process and returns at once (the firing loop goes on). */
  dispatch(run: QueuedRun): Promise<void> {
    if (!this.stopping && !this.waiting.some((waiting) => waiting.id === run.id)) {
      this.waiting.push(run);
      this.drain();
    }
    return Promise.resolve();
  }

  /** Dispatches one run now; resolves when it is dispatched, handed back, or held elsewhere. */
  async dispatchNow(runId: string): Promise<void> {
    const claimed = await this.state.claimDispatch(runId, this.options.dispatchLeaseMs);
    if (!claimed) return; // dispatched, finished, or another replica holds it
    const { run, previousStatus } = claimed;
    if (previousStatus === 'queued') await this.announceStart(run);
    try {
      const profile = await this.remote.profile(run.tenantId, run.profileId);
      await this.publishPending(run, profile);
      const total = await this.createTasks(run, profile);
      const stoppedByCancel = await this.state.cancelRequested(run.id);
      await this.state.markDispatched(run.id);
      if (stoppedByCancel) {
        // Tasks of the page that raced the cancel were queued after it swept: end them too.
        await this.cancels.endUnstartedTasks(run.id);
        return;
      }
      await this.log.write(run, 'info', `Queued ${total} mailbox task(s) for ${profile.type} connectors`);
      await this.finisher.finishIfComplete(run.id);
    } catch (error) {
      if (isPermanent(error)) {
        await this.state.markDispatched(run.id, error.message);
        await this.log.write(run, 'error', `The run could not start: ${error.message}`);
        await this.finisher.finishIfComplete(run.id);
        return;
      }
      await this.state.releaseDispatch(run.id);
      await this.log.write(run, 'warning', `Dispatch interrupted, it will be resumed: ${String(error)}`);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.waiting.length = 0;
    await Promise.allSettled([...this.active]);
  }

  private drain(): void {
    while (this.active.size < DISPATCH_CONCURRENCY && this.waiting.length > 0) {
      const run = this.waiting.shift();
      if (!run) return;
      const work = this.dispatchNow(run.id)
        .catch((error: unknown) =>
          // The run keeps its tasks so far; the recovery pass resumes it.
          this.logger.error('run dispatch failed', { runId: run.id, error: String(error) }),
        )
        .finally(() => {
          this.active.delete(work);
          this.drain();
        });
      this.active.add(work);
    }
  }

  private async announceStart(run: RunEntity): Promise<void> {
    await this.bus.publish(
      RUN_STARTED_V1,
      {
        tenantId: run.tenantId,
        runId: run.id,
        scheduleId: run.scheduleId,
        profileId: run.profileId,
        trigger: run.trigger,
        startedAt: (run.startedAt ?? new Date()).toISOString(),
      },
      { msgId: `run-started-${run.id}`, retryForMs: DISPATCH_PUBLISH_RETRY_MS },
    );
    await this.log.write(run, 'info', `Run started (${run.trigger})`);
  }

  /** Creates the tasks page by page, publishing each page's commands; returns the tasks created. */
  private async createTasks(run: RunEntity, profile: ArchivingProfile): Promise<number> {
    let created = 0;
    for await (const page of mailboxPages(this.remote, run.tenantId, profile, run.dispatchCursor)) {
      if (this.stopping) throw new ContractError('UNAVAILABLE', 'The scheduler is stopping');
      if (await this.state.cancelRequested(run.id)) {
        await this.log.write(
          run,
          'warning',
          'Cancelled before every mailbox had its task; no further tasks created',
        );
        break;
      }
      const tasks = await this.dataSource.transaction(async (manager) => {
        const pageTasks = await this.tasks.createPending(run, page.mailboxIds, manager);
        await this.state.addDispatchedPage(
          run.id,
          { created: pageTasks.length, nextCursor: page.nextCursor, leaseMs: this.options.dispatchLeaseMs },
          manager,
        );
        return pageTasks;
      });
      await this.publish(run, profile, tasks);
      created += tasks.length;
    }
    return created;
  }

  /** Publishes tasks a crash left `pending` (created, command maybe not sent). */
  private async publishPending(run: RunEntity, profile: ArchivingProfile): Promise<void> {
    for (;;) {
      const pending = await this.tasks.pending(run.id, PENDING_BATCH);
      if (pending.length === 0) return;
      await this.publish(run, profile, pending);
    }
  }

  private async publish(
    run: RunEntity,
    profile: ArchivingProfile,
    tasks: readonly PendingTask[],
  ): Promise<void> {
    const contract = CONNECTOR_ARCHIVE_MAILBOX_V1[profile.type];
    // All of a page at once: JetStream acks them pipelined, which is what makes 100,000 tasks a
    // matter of seconds; the page size bounds what is in flight.
    await Promise.all(
      tasks.map((task) => {
        const command: ArchiveMailboxCommand = {
          taskId: task.id,
          runId: run.id,
          tenantId: run.tenantId,
          profileId: run.profileId,
          mailboxId: task.mailboxId,
          profileVersion: profile.version,
        };
        return this.bus.publish(contract, command, { msgId: task.id, retryForMs: DISPATCH_PUBLISH_RETRY_MS });
      }),
    );
    await this.tasks.markQueued(tasks.map((task) => task.id));
  }
}
