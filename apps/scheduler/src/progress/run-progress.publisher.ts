import { RUN_PROGRESS_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RunEntity } from '../runs/run.entity.js';
import { toRunCounters } from '../runs/run-view.js';

/**
 * At most one run progress event per run this often from one scheduler process. A console
 * refreshing once a second looks live; a 100,000-task run then publishes about one event per
 * second instead of one per task event.
 */
export const RUN_PROGRESS_INTERVAL_MS = 1_000;

/**
 * Publishes `archive.evt.run.progress.v1` (SC4 "published as events") for runs whose counters
 * changed: the first change of a quiet run goes out after the interval with the run's state at
 * that moment, so bursts of task events collapse into one event.
 */
@Injectable()
export class RunProgressPublisher implements OnApplicationShutdown {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
  }

  changed(runId: string): void {
    if (this.timers.has(runId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(runId);
      this.publish(runId).catch((error: unknown) =>
        this.logger.warn('run progress event not published', { runId, error: String(error) }),
      );
    }, RUN_PROGRESS_INTERVAL_MS);
    timer.unref();
    this.timers.set(runId, timer);
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async publish(runId: string): Promise<void> {
    const run = await this.dataSource.getRepository(RunEntity).findOneBy({ id: runId });
    if (!run) return;
    const reportedAt = new Date().toISOString();
    await this.bus.publish(
      RUN_PROGRESS_V1,
      { tenantId: run.tenantId, runId: run.id, status: run.status, counters: toRunCounters(run), reportedAt },
      { msgId: `run-progress-${run.id}-${reportedAt}` },
    );
  }
}
