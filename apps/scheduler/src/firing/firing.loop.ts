import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';

import { RunDispatcher } from '../ports/run-dispatcher.js';
import { CLAIM_BATCH_SIZE, ScheduleClaimer } from './schedule-claimer.js';

/**
 * How often the loop looks for due schedules. Fire times are whole minutes, so 5 s keeps a
 * firing within seconds of its slot while an idle scheduler costs one indexed query per tick.
 */
export const DEFAULT_FIRING_TICK_MS = 5_000;
export const FIRING_OPTIONS = Symbol('scheduler:firing-options');

export interface FiringOptions {
  /** Milliseconds between passes; tests shorten it. 0 disables the loop (claims are then explicit). */
  readonly tickMs: number;
  /** Milliseconds between run recovery passes (RunRecoveryLoop); 0 disables them. */
  readonly recoveryMs: number;
  /** How long a replica holds a run it dispatches (TaskDispatcher). */
  readonly dispatchLeaseMs: number;
}

/**
 * Fires due schedules: each pass claims batches until none are left, then hands the queued runs
 * to the dispatcher. One pass at a time per process; replicas coordinate in PostgreSQL alone.
 */
@Injectable()
export class FiringLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    private readonly claimer: ScheduleClaimer,
    private readonly dispatcher: RunDispatcher,
    @Inject(FIRING_OPTIONS) private readonly options: FiringOptions,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
  }

  onApplicationBootstrap(): void {
    if (this.options.tickMs > 0) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass: every schedule due at `now` fires (used by the loop; callable by tests). */
  async runPass(now = new Date()): Promise<number> {
    let fired = 0;
    for (;;) {
      const result = await this.claimer.claimDue(now);
      fired += result.fired;
      for (const run of result.queued) {
        try {
          await this.dispatcher.dispatch(run);
        } catch (error) {
          // The run is committed and stays queued; the recovery pass dispatches it later.
          this.logger.error('run dispatch failed', { runId: run.id, error: String(error) });
        }
      }
      if (result.fired < CLAIM_BATCH_SIZE || this.stopped) return fired;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.runPass()
        .then(
          (fired) => {
            if (fired > 0) this.logger.debug('schedules fired', { fired });
          },
          (error: unknown) => this.logger.error('firing pass failed', { error: String(error) }),
        )
        .finally(() => this.schedule(this.options.tickMs));
    }, delayMs);
    // A pending tick never keeps the process alive on its own: shutdown decides.
    this.timer.unref();
  }
}
