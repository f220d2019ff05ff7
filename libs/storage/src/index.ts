/**
 * @mailkeep/storage: the content-addressed blob store (SPEC A1, A2) with filesystem and S3 drivers.
 */
export type { BlobDriver, BlobInfo, BlobStore, PutBlobResult, SegmentStorage } from './blob-store.js';
export type { BlobSource } from './bytes.js';
export {
  blobAddress,
  blobKey,
  segmentKey,
  validLocation,
  validSegmentId,
  validSha256,
  validTenantId,
  type BlobAddress,
  type BlobLocation,
} from './blob-address.js';
export { BlobNotFoundError, InvalidBlobAddressError, SegmentNotFoundError } from './errors.js';
export { FilesystemBlobStore, type FilesystemBlobStoreOptions } from './filesystem/filesystem-blob-store.js';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_PART_SIZE,
  S3BlobStore,
  type S3BlobStoreOptions,
} from './s3/s3-blob-store.js';
export {
  createBlobDriver,
  createBlobStore,
  FILESYSTEM_BLOBS_DIR,
  type BlobStoreConfig,
} from './create-blob-store.js';
export {
  decodeSegmentIndex,
  encodeSegment,
  verifySegment,
  type SegmentEntry,
  type SegmentIndex,
  type SegmentVerification,
} from './segments/segment-format.js';
export {
  SegmentWriter,
  type SegmentAppendResult,
  type SegmentWriterSettings,
} from './segments/segment-writer.js';
export { SegmentedBlobStore, type SegmentedBlobStoreSettings } from './segments/segmented-blob-store.js';
