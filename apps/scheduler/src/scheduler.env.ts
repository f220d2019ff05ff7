import { composeEnv, DatabaseEnv, NatsEnv, RuntimeEnv, SchedulerRunsEnv } from '@mailkeep/config';

/** What the scheduler reads from the environment. */
export const SchedulerEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, SchedulerRunsEnv);
