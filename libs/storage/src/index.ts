/**
 * @mailkeep/storage: the content-addressed blob store (SPEC A1, A2) with filesystem and S3 drivers.
 */
export type { BlobInfo, BlobStore, PutBlobResult } from './blob-store.js';
export type { BlobSource } from './bytes.js';
export { blobAddress, blobKey, validSha256, validTenantId, type BlobAddress } from './blob-address.js';
export { BlobNotFoundError, InvalidBlobAddressError } from './errors.js';
export { FilesystemBlobStore, type FilesystemBlobStoreOptions } from './filesystem/filesystem-blob-store.js';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_PART_SIZE,
  S3BlobStore,
  type S3BlobStoreOptions,
} from './s3/s3-blob-store.js';
export { createBlobStore, FILESYSTEM_BLOBS_DIR, type BlobStoreConfig } from './create-blob-store.js';
