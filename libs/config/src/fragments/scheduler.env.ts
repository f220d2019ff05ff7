import { IsInt, Max, Min } from 'class-validator';

import { EnvVar } from '../env-var.js';
import { ToInt } from '../rules.js';

/**
 * Seconds a scheduler replica holds a run it dispatches by default, renewed with every page (a
 * page takes well under a second); after a crash another replica resumes the run once it ran
 * out. A minute rides out a long GC pause or a slow directory page.
 */
export const DEFAULT_DISPATCH_LEASE_SECONDS = 60;

/**
 * Seconds between the scheduler's passes over runs a crash left behind by default. The dispatch
 * lease is the real bound on resuming; fifteen seconds adds little to it and costs one indexed
 * query.
 */
export const DEFAULT_RECOVERY_SECONDS = 15;

const LEASE = { message: 'must be an integer between 10 and 3600' };
const RECOVERY = { message: 'must be an integer between 1 and 3600' };

/** How the scheduler resumes runs a dead replica left (SPEC SC5); the defaults suit production. */
export class SchedulerRunsEnv {
  @EnvVar(
    'Seconds a scheduler replica holds a run it is dispatching (renewed per page); after a crash ' +
      'another replica resumes the run once this has passed.',
  )
  @ToInt()
  @IsInt(LEASE)
  @Min(10, LEASE)
  @Max(3600, LEASE)
  MAILKEEP_SCHEDULER_DISPATCH_LEASE_SECONDS: number = DEFAULT_DISPATCH_LEASE_SECONDS;

  @EnvVar('Seconds between passes that resume runs a crashed scheduler left unfinished.')
  @ToInt()
  @IsInt(RECOVERY)
  @Min(1, RECOVERY)
  @Max(3600, RECOVERY)
  MAILKEEP_SCHEDULER_RECOVERY_SECONDS: number = DEFAULT_RECOVERY_SECONDS;
}
