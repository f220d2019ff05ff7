import {
  AuditEnv,
  BootstrapEnv,
  composeEnv,
  DatabaseEnv,
  DataDirEnv,
  HttpEnv,
  NatsEnv,
  RuntimeEnv,
  S3Env,
} from '@mailkeep/config';

/** Everything the api reads from the environment (SPEC O1). */
export const ApiEnv = composeEnv(
  HttpEnv,
  NatsEnv,
  DatabaseEnv,
  DataDirEnv,
  S3Env,
  RuntimeEnv,
  BootstrapEnv,
  AuditEnv,
);
export type ApiEnv = InstanceType<typeof ApiEnv>;
