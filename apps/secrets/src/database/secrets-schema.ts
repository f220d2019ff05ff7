import type { ServiceSchema } from '@mailkeep/persistence';

import { SecretEntity } from '../secrets/secret.entity.js';
import { CreateSecretsSchema1764100000000 } from './migrations/1764100000000-create-secrets-schema.js';

/** The secrets service's own tables, in its own PostgreSQL schema, changed only by these migrations. */
export const SECRETS_SCHEMA: ServiceSchema = {
  schema: 'secrets',
  entities: [SecretEntity],
  migrations: [CreateSecretsSchema1764100000000],
};
