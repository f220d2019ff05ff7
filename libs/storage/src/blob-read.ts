import {
  type BlobAddress,
  blobAddress,
  blobKey,
  type BlobLocation,
  segmentKey,
  validLocation,
} from './blob-address.js';
import type { BlobInfo } from './blob-store.js';

/**
 * What a `get` or `stat` reads, validated before any I/O and the same for every driver: the blob's
 * address, the key holding its bytes (its segment's, or its own object's), and, in a segment, the
 * range of that key that is the blob.
 */
export interface BlobRead {
  readonly address: BlobAddress;
  readonly key: string;
  readonly range?: BlobLocation;
}

/** The key and range a driver reads for a blob, with or without a location (decision 0020). */
export function blobRead(tenantId: unknown, sha256: unknown, location?: BlobLocation): BlobRead {
  const address = blobAddress(tenantId, sha256);
  if (location === undefined) return { address, key: blobKey(address) };
  const range = validLocation(location);
  return { address, key: segmentKey(address.tenantId, range.segmentId), range };
}

/**
 * The blob's info given the size of the object stored under its key: the object's size for a blob
 * of its own, the range's for a blob in a segment, undefined when the segment is too short to
 * hold the range (it has lost the message).
 */
export function blobInfo(read: BlobRead, storedSize: number): BlobInfo | undefined {
  const { address, range } = read;
  if (range === undefined) return { sha256: address.sha256, size: storedSize };
  return range.offset + range.size <= storedSize ? { sha256: address.sha256, size: range.size } : undefined;
}
