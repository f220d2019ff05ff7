import { ContractError, RUN_CANCELLATIONS_BUCKET } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RunFinisher } from '../progress/run-finisher.js';
import { RunLogService } from '../run-log/run-log.service.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import type { RunEntity } from './run.entity.js';
import { RunStateRepository } from './run-state.repository.js';

/**
 * SC3 cancel. The run id goes into RUN_CANCELLATIONS_BUCKET first — every connector worker
 * watches it, so running tasks stop at their next message and queued commands end when
 * delivered — then the tasks no worker has started end at once, and the run ends when its
 * running tasks have reported.
 */
@Injectable()
export class RunCancelService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly state: RunStateRepository,
    private readonly tasks: TasksRepository,
    private readonly finisher: RunFinisher,
    private readonly log: RunLogService,
    private readonly bus: MessageBus,
  ) {}

  /** Cancels an active run; CONFLICT `run_finished` for one that has ended. Idempotent. */
  async cancel(run: RunEntity): Promise<void> {
    if (run.status !== 'queued' && run.status !== 'running') {
      throw new ContractError('CONFLICT', `Run ${run.id} has already ended (${run.status})`, {
        reason: 'run_finished',
      });
    }
    const kv = await this.bus.keyValue(RUN_CANCELLATIONS_BUCKET);
    // First, so no worker starts a task of the run once the tasks below are marked cancelled.
    await kv.put(run.id, JSON.stringify({ requestedAt: new Date().toISOString() }));
    const first = await this.dataSource.transaction(async (manager) => {
      const locked = await this.state.lock(run.id, manager);
      if (!locked || locked.cancelRequestedAt !== null) return false;
      locked.cancelRequestedAt = new Date();
      await manager.save(locked);
      return true;
    });
    if (first)
      await this.log.write(run, 'warning', 'Cancel requested: running mailboxes stop at their next message');
    await this.endUnstartedTasks(run.id);
  }

  /**
   * Ends the run's pending and queued tasks and, if nothing else is running, the run. Also called
   * by the dispatcher when it stops creating tasks for a cancelled run.
   */
  async endUnstartedTasks(runId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // The run's row first, as the task event handler does, so the two never deadlock.
      await this.state.lock(runId, manager);
      const ended = await this.tasks.cancelUnstarted(runId, manager);
      if (ended > 0) await this.state.addFinishedTasks(runId, ended, manager);
    });
    await this.finisher.finishIfComplete(runId);
  }
}
