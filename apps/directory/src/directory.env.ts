import {
  composeEnv,
  DatabaseEnv,
  EgressEnv,
  GoogleEnv,
  M365Env,
  NatsEnv,
  RuntimeEnv,
} from '@mailkeep/config';

/**
 * The directory service's settings: NATS, its database, logging/telemetry, Microsoft endpoints
 * (m365 sync), Google endpoints (google-workspace sync), and the egress policy for the
 * tenant-supplied LDAP servers it connects to.
 */
export const DirectoryEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, M365Env, GoogleEnv, EgressEnv);
export type DirectoryEnv = InstanceType<typeof DirectoryEnv>;
