import { composeEnv, DatabaseEnv, DataDirEnv, MasterKeyEnv, NatsEnv, RuntimeEnv } from '@mailkeep/config';

export const SecretsEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, DataDirEnv, MasterKeyEnv);
export type SecretsConfig = InstanceType<typeof SecretsEnv>;
