import type { ServiceSchema } from '@mailkeep/persistence';

import { BlobLocationEntity } from '../blobs/blob-location.entity.js';

import {
  IntegrityCheckEntity,
  IntegrityFindingEntity,
  IntegritySegmentFindingEntity,
} from '../integrity/integrity-check.entity.js';
import { MessageEntity } from '../messages/message.entity.js';
import { MessageContentEntity } from '../text/message-content.entity.js';
import { TextReindexEntity } from '../text/text-reindex.entity.js';
import { CreateCatalogSchema1764000000300 } from './migrations/1764000000300-create-catalog-schema.js';
import { MessageFolders1765200000300 } from './migrations/1765200000300-message-folders.js';
import { MessageTextIndex1766000000300 } from './migrations/1766000000300-message-text-index.js';
import { BlobLocation1767000000300 } from './migrations/1767000000300-blob-location.js';
import { IntegritySegments1768000000300 } from './migrations/1768000000300-integrity-segments.js';

/** The catalog's own tables, in schema `catalog`, changed only by these migrations. */
export const CATALOG_SCHEMA: ServiceSchema = {
  schema: 'catalog',
  entities: [
    MessageEntity,
    MessageContentEntity,
    TextReindexEntity,
    IntegrityCheckEntity,
    IntegrityFindingEntity,
    IntegritySegmentFindingEntity,
    BlobLocationEntity,
  ],
  migrations: [
    CreateCatalogSchema1764000000300,
    MessageFolders1765200000300,
    MessageTextIndex1766000000300,
    BlobLocation1767000000300,
    IntegritySegments1768000000300,
  ],
};
