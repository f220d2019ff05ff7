import { composeEnv, DatabaseEnv, GoogleEnv, M365Env, NatsEnv, RuntimeEnv } from '@mailkeep/config';

/**
 * The directory service's settings: NATS, its database, logging/telemetry, Microsoft endpoints
 * (m365 sync) and Google endpoints (google-workspace sync).
 */
export const DirectoryEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, M365Env, GoogleEnv);
export type DirectoryEnv = InstanceType<typeof DirectoryEnv>;
