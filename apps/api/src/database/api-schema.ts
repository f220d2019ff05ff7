import type { ServiceSchema } from '@mailkeep/persistence';

import { ApiKeyEntity } from '../api-keys/api-key.entity.js';
import { AuditEntryEntity } from '../audit/audit-entry.entity.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { CreateApiSchema1764000000000 } from './migrations/1764000000000-create-api-schema.js';
import { KeyedAuditHashes1765100000000 } from './migrations/1765100000000-keyed-audit-hashes.js';

/** The api service's own tables, in its own PostgreSQL schema, changed only by these migrations. */
export const API_SCHEMA: ServiceSchema = {
  schema: 'api',
  entities: [TenantEntity, ApiKeyEntity, AuditEntryEntity],
  migrations: [CreateApiSchema1764000000000, KeyedAuditHashes1765100000000],
};
