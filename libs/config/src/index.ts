/**
 * @mailkeep/config: validated MAILKEEP_* environment. The only place that reads process.env.
 */
import { AuditEnv } from './fragments/audit.env.js';
import { BootstrapEnv } from './fragments/bootstrap.env.js';
import { ConnectorWorkerEnv } from './fragments/connector.env.js';
import { DataDirEnv } from './fragments/data-dir.env.js';
import { DatabaseEnv } from './fragments/database.env.js';
import { EgressEnv } from './fragments/egress.env.js';
import { GoogleEnv } from './fragments/google.env.js';
import { HttpEnv } from './fragments/http.env.js';
import { LauncherEnv } from './fragments/launcher.env.js';
import { ExchangeEnv } from './fragments/exchange.env.js';
import { M365Env } from './fragments/m365.env.js';
import { MasterKeyEnv } from './fragments/master-key.env.js';
import { NatsEnv } from './fragments/nats.env.js';
import { NatsUsersEnv } from './fragments/nats-users.env.js';
import { RuntimeEnv } from './fragments/runtime.env.js';
import { S3Env } from './fragments/s3.env.js';
import { SchedulerRunsEnv } from './fragments/scheduler.env.js';
import { SegmentEnv } from './fragments/segment.env.js';

export { ENV_PREFIX, EnvVar, SecretEnv, type EnvClass } from './env-var.js';
export { composeEnv, type ComposedEnv } from './compose-env.js';
export { ToInt } from './rules.js';
export { ConfigError, loadConfig } from './load-config.js';
export { describeEnv, renderEnvExample, type EnvVarDescription } from './describe-env.js';
export { ENVIRONMENTS, LOG_LEVELS, type Environment, type LogLevel } from './fragments/runtime.env.js';
export {
  DEFAULT_CONNECTOR_CONCURRENCY,
  DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT,
} from './fragments/connector.env.js';
export {
  DEFAULT_SEGMENT_LINGER_MS,
  DEFAULT_SEGMENT_MAX_AGE_MS,
  DEFAULT_SEGMENT_MAX_BYTES,
  DEFAULT_SEGMENT_THRESHOLD_BYTES,
} from './fragments/segment.env.js';
export { DEFAULT_M365_REQUESTS_IN_FLIGHT } from './fragments/m365.env.js';
export { DEFAULT_EXCHANGE_URL_TEMPLATE } from './fragments/exchange.env.js';
export { DEFAULT_DISPATCH_LEASE_SECONDS, DEFAULT_RECOVERY_SECONDS } from './fragments/scheduler.env.js';
export {
  AuditEnv,
  BootstrapEnv,
  ConnectorWorkerEnv,
  DataDirEnv,
  DatabaseEnv,
  EgressEnv,
  GoogleEnv,
  ExchangeEnv,
  HttpEnv,
  LauncherEnv,
  M365Env,
  MasterKeyEnv,
  NatsEnv,
  NatsUsersEnv,
  RuntimeEnv,
  S3Env,
  SchedulerRunsEnv,
  SegmentEnv,
};

/** Every fragment this library defines: what the all-in-one launcher reads and `.env.example` documents. */
export const ENV_FRAGMENTS = [
  HttpEnv,
  NatsEnv,
  NatsUsersEnv,
  DatabaseEnv,
  DataDirEnv,
  RuntimeEnv,
  BootstrapEnv,
  LauncherEnv,
  AuditEnv,
  MasterKeyEnv,
  S3Env,
  SchedulerRunsEnv,
  ConnectorWorkerEnv,
  SegmentEnv,
  EgressEnv,
  M365Env,
  GoogleEnv,
  ExchangeEnv,
] as const;
