import { composeEnv, DatabaseEnv, EnvVar, NatsEnv, RuntimeEnv, ToInt } from '@mailkeep/config';
import { IsInt, Max, Min } from 'class-validator';

import { DEFAULT_DISPATCH_LEASE_MS } from './dispatch/task-dispatcher.js';
import { DEFAULT_RECOVERY_INTERVAL_MS } from './dispatch/run-recovery.loop.js';

const LEASE = { message: 'must be an integer between 10 and 3600' };
const RECOVERY = { message: 'must be an integer between 1 and 3600' };

/** How the scheduler resumes runs a dead replica left (SC5); the defaults suit production. */
export class SchedulerRecoveryEnv {
  @EnvVar(
    'Seconds a scheduler replica holds a run it is dispatching (renewed per page); after a crash ' +
      'another replica resumes the run once this has passed.',
  )
  @ToInt()
  @IsInt(LEASE)
  @Min(10, LEASE)
  @Max(3600, LEASE)
  MAILKEEP_SCHEDULER_DISPATCH_LEASE_SECONDS: number = DEFAULT_DISPATCH_LEASE_MS / 1000;

  @EnvVar('Seconds between passes that resume runs a crashed scheduler left unfinished.')
  @ToInt()
  @IsInt(RECOVERY)
  @Min(1, RECOVERY)
  @Max(3600, RECOVERY)
  MAILKEEP_SCHEDULER_RECOVERY_SECONDS: number = DEFAULT_RECOVERY_INTERVAL_MS / 1000;
}

/** What the scheduler reads from the environment. */
export const SchedulerEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, SchedulerRecoveryEnv);
