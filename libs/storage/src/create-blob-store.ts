import { join } from 'node:path';

import {
  type DataDirEnv,
  DEFAULT_SEGMENT_LINGER_MS,
  DEFAULT_SEGMENT_MAX_AGE_MS,
  DEFAULT_SEGMENT_MAX_BYTES,
  type S3Env,
  type SegmentEnv,
} from '@mailkeep/config';
import type { Logger } from '@mailkeep/observability';

import type { BlobDriver, BlobStore } from './blob-store.js';
import { FilesystemBlobStore } from './filesystem/filesystem-blob-store.js';
import { S3BlobStore } from './s3/s3-blob-store.js';
import { SegmentedBlobStore } from './segments/segmented-blob-store.js';

/** The configuration `createBlobStore` reads: the S3 fragment and the data directory. */
export type BlobStoreConfig = Pick<
  S3Env,
  | 'MAILKEEP_S3_ENDPOINT'
  | 'MAILKEEP_S3_ACCESS_KEY'
  | 'MAILKEEP_S3_SECRET_KEY'
  | 'MAILKEEP_S3_BUCKET'
  | 'MAILKEEP_S3_REGION'
> &
  Pick<DataDirEnv, 'MAILKEEP_DATA_DIR'> &
  // Writers (the connectors) have these; readers (catalog, api) find segments by location alone.
  Partial<
    Pick<
      SegmentEnv,
      | 'MAILKEEP_SEGMENT_THRESHOLD_BYTES'
      | 'MAILKEEP_SEGMENT_MAX_BYTES'
      | 'MAILKEEP_SEGMENT_MAX_AGE_MS'
      | 'MAILKEEP_SEGMENT_LINGER_MS'
    >
  >;

/** Sub-directory of MAILKEEP_DATA_DIR that holds the filesystem store. */
export const FILESYSTEM_BLOBS_DIR = 'blobs';

/**
 * The S3 driver when MAILKEEP_S3_ENDPOINT is set, the filesystem under `<MAILKEEP_DATA_DIR>/blobs`
 * otherwise (SPEC O1); wrapped in a `SegmentedBlobStore` when the configuration has a segment
 * threshold above 0 (decision 0020). Nothing is touched until the first call; `check()` is the
 * readiness probe.
 */
export function createBlobStore(config: BlobStoreConfig, options: { logger?: Logger } = {}): BlobStore {
  const driver = createBlobDriver(config, options);
  const threshold = config.MAILKEEP_SEGMENT_THRESHOLD_BYTES ?? 0;
  if (threshold === 0) return driver;
  return new SegmentedBlobStore(
    driver,
    {
      thresholdBytes: threshold,
      maxBytes: config.MAILKEEP_SEGMENT_MAX_BYTES ?? DEFAULT_SEGMENT_MAX_BYTES,
      maxAgeMs: config.MAILKEEP_SEGMENT_MAX_AGE_MS ?? DEFAULT_SEGMENT_MAX_AGE_MS,
      lingerMs: config.MAILKEEP_SEGMENT_LINGER_MS ?? DEFAULT_SEGMENT_LINGER_MS,
    },
    options.logger,
  );
}

/** The driver alone: single objects and segments, no group commit (readers, tools). */
export function createBlobDriver(config: BlobStoreConfig, options: { logger?: Logger } = {}): BlobDriver {
  const endpoint = config.MAILKEEP_S3_ENDPOINT;
  if (endpoint === undefined) {
    return new FilesystemBlobStore({
      root: join(config.MAILKEEP_DATA_DIR, FILESYSTEM_BLOBS_DIR),
      ...options,
    });
  }
  const { MAILKEEP_S3_ACCESS_KEY: accessKey, MAILKEEP_S3_SECRET_KEY: secretKey } = config;
  // S3Env already refuses an endpoint without keys; this keeps a hand-built config honest too.
  if (accessKey === undefined || secretKey === undefined) {
    throw new Error(
      'MAILKEEP_S3_ACCESS_KEY and MAILKEEP_S3_SECRET_KEY are required with MAILKEEP_S3_ENDPOINT',
    );
  }
  return new S3BlobStore({
    endpoint,
    accessKey,
    secretKey,
    bucket: config.MAILKEEP_S3_BUCKET,
    region: config.MAILKEEP_S3_REGION,
    ...options,
  });
}
