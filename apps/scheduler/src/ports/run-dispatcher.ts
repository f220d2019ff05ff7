import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';

/** What a dispatcher needs of a freshly queued run. */
export interface QueuedRun {
  readonly id: string;
  readonly tenantId: string;
  readonly scheduleId: string;
  readonly profileId: string;
}

/**
 * The seam between queuing a run (this part of issue 7) and carrying it out: resolving the
 * mailboxes, one task per mailbox on the JetStream work queue, counters from task events (SC3,
 * SC4). Called after the run's row is committed; it must be idempotent per run id, because the
 * run is what is durable — a dispatcher that fails leaves the run queued for a later pass.
 */
export abstract class RunDispatcher {
  abstract dispatch(run: QueuedRun): Promise<void>;
}

/**
 * The dispatcher until task dispatch exists: the run stays `queued` — honestly not started, and
 * still blocking another run of its profile (SC2) — and the log says so. It never pretends a run
 * completed.
 */
@Injectable()
export class QueueOnlyRunDispatcher extends RunDispatcher {
  private readonly logger: Logger;

  constructor(@Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>) {
    super();
    this.logger = context.logger;
  }

  dispatch(run: QueuedRun): Promise<void> {
    this.logger.info('run queued; task dispatch is not part of this build, the run stays queued', {
      runId: run.id,
      scheduleId: run.scheduleId,
      profileId: run.profileId,
    });
    return Promise.resolve();
  }
}
