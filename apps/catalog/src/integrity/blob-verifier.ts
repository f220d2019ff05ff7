import { createHash } from 'node:crypto';

import { BlobNotFoundError, type BlobStore } from '@mailkeep/storage';

import type { BlobToCheck, Finding } from './integrity-checks.repository.js';

/**
 * Reads a blob back (streamed: memory stays bounded whatever its size) and hashes it: undefined
 * when it is intact, else what is wrong with it. A blob in a segment is read from its range, so a
 * damaged segment yields a finding for exactly each message whose bytes it damaged, and a missing
 * segment one for each message it held.
 */
export async function verifyBlob(
  blobs: BlobStore,
  tenantId: string,
  blob: BlobToCheck,
  signal: AbortSignal,
): Promise<Finding | undefined> {
  let stream;
  try {
    stream = await blobs.get(tenantId, blob.sha256, blob.location);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      return { kind: 'missing', sha256: blob.sha256, expectedSize: blob.size };
    }
    throw error;
  }
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      signal.throwIfAborted();
      hash.update(chunk);
      size += chunk.length;
    }
  } finally {
    stream.destroy();
  }
  const actualSha256 = hash.digest('hex');
  if (actualSha256 === blob.sha256 && size === blob.size) return undefined;
  return { kind: 'mismatch', sha256: blob.sha256, expectedSize: blob.size, actualSha256, actualSize: size };
}
