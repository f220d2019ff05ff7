import { composeEnv, DatabaseEnv, NatsEnv, RuntimeEnv } from '@mailkeep/config';

/** What the profiles service reads from the environment. */
export const ProfilesEnv = composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv);
