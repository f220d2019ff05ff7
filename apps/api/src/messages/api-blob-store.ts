import type { Logger } from '@mailkeep/observability';
import { type BlobStore, createBlobStore } from '@mailkeep/storage';
import type { FactoryProvider } from '@nestjs/common';

import type { ApiEnv } from '../api.env.js';
import { API_CONFIG, API_LOGGER } from '../tokens.js';

/** Injection token of the blob store the api streams raw messages from. */
export const API_BLOB_STORE = Symbol('mailkeep:api-blob-store');

/**
 * The tenant blob store as the connectors and the catalog open it (SPEC O1: S3 when
 * MAILKEEP_S3_ENDPOINT is set, else `<MAILKEEP_DATA_DIR>/blobs`).
 */
export const apiBlobStoreProvider: FactoryProvider<BlobStore> = {
  provide: API_BLOB_STORE,
  inject: [API_CONFIG, API_LOGGER],
  useFactory: (config: ApiEnv, logger: Logger) => createBlobStore(config, { logger }),
};
