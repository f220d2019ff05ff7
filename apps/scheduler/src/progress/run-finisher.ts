import { RUN_FINISHED_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RunLogService } from '../run-log/run-log.service.js';
import { RunEntity } from '../runs/run.entity.js';
import { finalRunStatus } from '../runs/run-outcome.js';
import { isComplete, RunStateRepository } from '../runs/run-state.repository.js';
import { toRunCounters } from '../runs/run-view.js';

/**
 * Ends a run whose tasks have all ended (SC4): its final status, `archive.evt.run.finished.v1`
 * once (its msg id is the run's), and a closing log line. Safe to call any number of times from
 * any replica: only the call that moves the status publishes, and the recovery pass republishes
 * an event a crash kept from going out.
 */
@Injectable()
export class RunFinisher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly state: RunStateRepository,
    private readonly bus: MessageBus,
    private readonly log: RunLogService,
  ) {}

  async finishIfComplete(id: string): Promise<void> {
    const ended = await this.dataSource.transaction(async (manager) => {
      const run = await this.state.lock(id, manager);
      if (!run || !isComplete(run)) return undefined;
      run.status = finalRunStatus({
        cancelRequested: run.cancelRequestedAt !== null,
        setupFailed: run.setupError !== null,
        mailboxesTotal: run.mailboxesTotal,
        mailboxesFailed: run.mailboxesFailed,
        messagesFailed: run.messagesFailed,
        foldersFailed: await this.state.tasksWithFailedFolders(id, manager),
      });
      run.finishedAt = new Date();
      run.dispatchLeaseUntil = null;
      return manager.getRepository(RunEntity).save(run);
    });
    if (!ended) return;
    const counters = toRunCounters(ended);
    await this.log.write(
      ended,
      ended.status === 'succeeded' ? 'info' : ended.status === 'failed' ? 'error' : 'warning',
      `Run ${ended.status}: ${counters.mailboxesSucceeded} of ${counters.mailboxesTotal} mailboxes succeeded, ` +
        `${counters.mailboxesFailed} failed; ${counters.messagesArchived} messages archived ` +
        `(${counters.bytesArchived} bytes), ${counters.duplicatesSkipped} already archived, ${counters.messagesFailed} failed`,
    );
    await this.publishFinished(ended);
  }

  /** Publishes the finished event of an ended run and marks it published. */
  async publishFinished(run: RunEntity): Promise<void> {
    if (!run.finishedAt) return;
    await this.bus.publish(
      RUN_FINISHED_V1,
      {
        tenantId: run.tenantId,
        runId: run.id,
        scheduleId: run.scheduleId,
        profileId: run.profileId,
        status: run.status,
        counters: toRunCounters(run),
        ...(run.startedAt && { startedAt: run.startedAt.toISOString() }),
        finishedAt: run.finishedAt.toISOString(),
      },
      { msgId: `run-finished-${run.id}` },
    );
    await this.state.markFinishPublished(run.id);
  }
}
