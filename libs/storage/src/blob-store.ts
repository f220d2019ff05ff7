import type { Readable } from 'node:stream';

import type { BlobLocation } from './blob-address.js';
import type { BlobSource } from './bytes.js';

/** What a put stored: the content's SHA-256 (lower-case hex), its size in bytes, and whether this put wrote it. */
export interface PutBlobResult {
  readonly sha256: string;
  readonly size: number;
  /** `false` when the tenant already had this content (nothing was written again). */
  readonly created: boolean;
  /** Set when the blob went into a segment (decision 0020); absent: its own object at its content address. */
  readonly location?: BlobLocation;
}

export interface BlobInfo {
  readonly sha256: string;
  readonly size: number;
}

/**
 * The blob-store port (SPEC A1, A2): content-addressed, per tenant, write-once. Archives never
 * delete a blob, so the port has no delete; drivers offer one for tests and tooling only.
 */
export interface BlobStore {
  /** Which driver this is, for logs and readiness output. */
  readonly kind: 'filesystem' | 's3';
  /**
   * Streams `source` into the tenant's store while hashing it and resolves once the blob is
   * durable under its content address. Memory stays bounded whatever the size. When `source`
   * errors, the put rejects with that error and leaves no temporary file or object behind.
   * Chunks must be bytes (Buffer/Uint8Array), never strings. A message already in memory (a
   * fetched range's buffer) is passed as it is: no stream to build around it and take apart again.
   */
  put(tenantId: string, source: BlobSource): Promise<PutBlobResult>;
  /**
   * The blob's bytes, exactly as put; rejects with `BlobNotFoundError` when the tenant has no such
   * blob. With a `location` (from the put, the archived event or the catalog) the bytes are read
   * from that range of the segment; without one, from the blob's own object.
   */
  get(tenantId: string, sha256: string, location?: BlobLocation): Promise<Readable>;
  /** Size of the blob, or `undefined` when the tenant has no such blob (or no such segment). */
  stat(tenantId: string, sha256: string, location?: BlobLocation): Promise<BlobInfo | undefined>;
  /** Readiness: resolves when the store can be written (root directory / bucket reachable), rejects otherwise. */
  check(): Promise<void>;
}

/** What a driver adds for segments: one durable write of a whole segment, one read of it back. */
export interface SegmentStorage {
  /**
   * Writes a sealed segment durably under its key, in one go (filesystem: one file, one fsync and
   * one fsync of its directory; S3: one PUT). Resolves only once it would survive a crash.
   */
  writeSegment(tenantId: string, segmentId: string, chunks: readonly Buffer[]): Promise<void>;
  /** The whole segment (at most MAILKEEP_SEGMENT_MAX_BYTES and one message), for integrity checks. */
  readSegment(tenantId: string, segmentId: string): Promise<Buffer>;
}

/** A storage driver: single objects and segments on one backend. */
export type BlobDriver = BlobStore & SegmentStorage;
