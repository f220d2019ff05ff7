import { DEFAULT_RECOVERY_SECONDS } from '@mailkeep/config';
import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

import { FIRING_OPTIONS, type FiringOptions } from '../firing/firing.loop.js';
import { RunFinisher } from '../progress/run-finisher.js';
import { isComplete, RunStateRepository } from '../runs/run-state.repository.js';
import { TaskDispatcher } from './task-dispatcher.js';

/** How often a scheduler looks for runs a crash left behind by default (see DEFAULT_RECOVERY_SECONDS). */
export const DEFAULT_RECOVERY_INTERVAL_MS = DEFAULT_RECOVERY_SECONDS * 1000;

/** Runs looked at per pass; the oldest first, so none is starved. */
const RECOVERY_BATCH = 500;

/**
 * SC5 for runs: at start-up and then periodically, resumes what a killed scheduler left — runs
 * whose dispatch stopped (lease expired), runs whose last task ended without the run being
 * closed, finished runs whose event did not go out. Every step is idempotent, so replicas may
 * overlap.
 */
@Injectable()
export class RunRecoveryLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    private readonly state: RunStateRepository,
    private readonly dispatcher: TaskDispatcher,
    private readonly finisher: RunFinisher,
    @Inject(FIRING_OPTIONS) private readonly options: FiringOptions,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
  }

  onApplicationBootstrap(): void {
    if (this.options.recoveryMs > 0) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass over the unfinished runs (the loop's step; callable by tests). */
  async recover(now = Date.now()): Promise<void> {
    for (const run of await this.state.unfinished(RECOVERY_BATCH)) {
      if (this.stopped) return;
      if (run.finishedAt && !run.finishPublished) {
        await this.finisher.publishFinished(run);
      } else if (!run.dispatched) {
        if (!run.dispatchLeaseUntil || run.dispatchLeaseUntil.getTime() <= now)
          await this.dispatcher.dispatch(run);
      } else if (isComplete(run)) {
        await this.finisher.finishIfComplete(run.id);
      }
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.recover()
        .catch((error: unknown) => this.logger.error('run recovery pass failed', { error: String(error) }))
        .finally(() => this.schedule(this.options.recoveryMs));
    }, delayMs);
    this.timer.unref();
  }
}
