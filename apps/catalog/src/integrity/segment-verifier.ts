import { createHash } from 'node:crypto';

import type { SegmentProblem } from '@mailkeep/contracts';
import { SegmentNotFoundError, type SegmentStorage, verifySegment } from '@mailkeep/storage';

import type { Finding, LocatedBlob, SegmentFinding, SegmentToCheck } from './integrity-checks.repository.js';

/** What one segment's check found: its messages' findings, and the segment's own damage if any. */
export interface SegmentCheckResult {
  readonly findings: readonly Finding[];
  readonly damagedSegment?: SegmentFinding;
}

/**
 * Reads a segment once, whole (one GET on S3 instead of a range GET per message), and checks it
 * two ways: every message the catalog places in it is hashed at the catalog's location (what
 * downloads read), and the segment's own trailer, index and checksum are verified. A lost segment
 * is a `missing` finding for each of its messages.
 */
export async function checkSegment(
  segments: SegmentStorage,
  tenantId: string,
  segment: SegmentToCheck,
  signal: AbortSignal,
): Promise<SegmentCheckResult> {
  let bytes: Buffer;
  try {
    bytes = await segments.readSegment(tenantId, segment.segmentId);
  } catch (error) {
    if (!(error instanceof SegmentNotFoundError)) throw error;
    return {
      findings: segment.blobs.map((blob) => ({
        kind: 'missing',
        sha256: blob.sha256,
        expectedSize: blob.size,
      })),
    };
  }
  signal.throwIfAborted();
  const findings = segment.blobs.flatMap((blob) => {
    const finding = checkRange(bytes, blob);
    return finding ? [finding] : [];
  });
  const problem = segmentProblem(bytes, segment.blobs, findings.length);
  return { findings, ...(problem && { damagedSegment: { segmentId: segment.segmentId, problem } }) };
}

/** The message's bytes at its location, hashed against the catalog's hash and size. */
function checkRange(bytes: Buffer, blob: LocatedBlob): Finding | undefined {
  const { offset, size } = blob.location;
  const range = bytes.subarray(offset, offset + size);
  const actualSha256 = createHash('sha256').update(range).digest('hex');
  if (actualSha256 === blob.sha256 && range.length === blob.size) return undefined;
  return {
    kind: 'mismatch',
    sha256: blob.sha256,
    expectedSize: blob.size,
    actualSha256,
    actualSize: range.length,
  };
}

/**
 * The segment's own damage, when it is not already told by its messages' findings: an unreadable
 * trailer or index; an index that does not list a message where the catalog places it (the
 * catalog could not be rebuilt from it); a checksum that fails while every message still hashes
 * (damage between or after them). A checksum failing because a message is damaged adds nothing to
 * that message's `mismatch`, so it is not a second finding.
 */
function segmentProblem(
  bytes: Buffer,
  blobs: readonly LocatedBlob[],
  damagedMessages: number,
): SegmentProblem | undefined {
  const verification = verifySegment(bytes);
  if (verification.index === undefined) return 'trailer';
  const indexed = new Set(
    verification.index.messages.map((entry) => `${entry.sha256}:${entry.offset}:${entry.size}`),
  );
  const unlisted = blobs.some(
    (blob) => !indexed.has(`${blob.sha256}:${blob.location.offset}:${blob.location.size}`),
  );
  if (unlisted) return 'index';
  if (!verification.checksumValid && damagedMessages === 0) return 'checksum';
  return undefined;
}
