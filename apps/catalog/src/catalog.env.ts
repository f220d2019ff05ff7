import { composeEnv, DatabaseEnv, DataDirEnv, NatsEnv, RuntimeEnv, S3Env } from '@mailkeep/config';

/** What the catalog reads from the environment: its database, NATS, and the blob store as the connectors use it. */
export const CatalogEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, S3Env, DataDirEnv);
export type CatalogEnv = InstanceType<typeof CatalogEnv>;
