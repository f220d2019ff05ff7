import type { ServiceSchema } from '@mailkeep/persistence';

import { IntegrityCheckEntity, IntegrityFindingEntity } from '../integrity/integrity-check.entity.js';
import { MessageEntity } from '../messages/message.entity.js';
import { CreateCatalogSchema1764000000300 } from './migrations/1764000000300-create-catalog-schema.js';
import { MessageFolders1765200000300 } from './migrations/1765200000300-message-folders.js';

/** The catalog's own tables, in schema `catalog`, changed only by these migrations. */
export const CATALOG_SCHEMA: ServiceSchema = {
  schema: 'catalog',
  entities: [MessageEntity, IntegrityCheckEntity, IntegrityFindingEntity],
  migrations: [CreateCatalogSchema1764000000300, MessageFolders1765200000300],
};
