/** What a dispatcher needs of a freshly queued run. */
export interface QueuedRun {
  readonly id: string;
  readonly tenantId: string;
  readonly scheduleId: string;
  readonly profileId: string;
}

/**
 * The seam between queuing a run and carrying it out (TaskDispatcher). Called after the run's row
 * is committed; it must be idempotent per run id, because the run is what is durable — a
 * dispatcher that fails leaves the run for the recovery pass.
 */
export abstract class RunDispatcher {
  abstract dispatch(run: QueuedRun): Promise<void>;
}
