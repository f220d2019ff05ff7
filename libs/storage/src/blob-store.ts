import type { Readable } from 'node:stream';

import type { BlobSource } from './bytes.js';

/** What a put stored: the content's SHA-256 (lower-case hex), its size in bytes, and whether this put wrote it. */
export interface PutBlobResult {
  readonly sha256: string;
  readonly size: number;
  /** `false` when the tenant already had this content (nothing was written again). */
  readonly created: boolean;
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
  /** The blob's bytes, exactly as put; rejects with `BlobNotFoundError` when the tenant has no such blob. */
  get(tenantId: string, sha256: string): Promise<Readable>;
  /** Size of the blob, or `undefined` when the tenant has no such blob. */
  stat(tenantId: string, sha256: string): Promise<BlobInfo | undefined>;
  /** Readiness: resolves when the store can be written (root directory / bucket reachable), rejects otherwise. */
  check(): Promise<void>;
}
