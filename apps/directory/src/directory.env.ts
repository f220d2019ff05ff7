import { composeEnv, DatabaseEnv, M365Env, NatsEnv, RuntimeEnv } from '@mailkeep/config';

/** The directory service's settings: NATS, its database, logging/telemetry, Microsoft endpoints (m365 sync). */
export const DirectoryEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, M365Env);
export type DirectoryEnv = InstanceType<typeof DirectoryEnv>;
