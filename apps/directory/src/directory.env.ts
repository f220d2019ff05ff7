import { composeEnv, DatabaseEnv, NatsEnv, RuntimeEnv } from '@mailkeep/config';

/** The directory service's settings: NATS, its database, logging/telemetry. */
export const DirectoryEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv);
export type DirectoryEnv = InstanceType<typeof DirectoryEnv>;
