import {
  BootstrapEnv,
  composeEnv,
  DatabaseEnv,
  DataDirEnv,
  HttpEnv,
  NatsEnv,
  RuntimeEnv,
} from '@mailkeep/config';

/** Everything the api reads from the environment (SPEC O1). */
export const ApiEnv = composeEnv(HttpEnv, NatsEnv, DatabaseEnv, DataDirEnv, RuntimeEnv, BootstrapEnv);
export type ApiEnv = InstanceType<typeof ApiEnv>;
