import { createHash } from 'node:crypto';

/**
 * A segment is one file (or S3 object) holding many small messages back to back, followed by its
 * own index and a fixed trailer (decision 0020):
 *
 * ```
 * [message 0][message 1]…[message n-1][index: JSON, UTF-8][trailer: 40 bytes]
 * trailer = "MKS1" | uint32 BE index length | SHA-256 of every byte before the trailer
 * index   = { "v": 1, "tenantId", "segmentId", "messages": [[sha256, offset, size], …] }
 * ```
 *
 * Messages start at offset 0, so a message's offset is the same in the file and in the index, and
 * a reader needs nothing but (segment, offset, size) to range-read its bytes. The index and the
 * checksum make a segment self-describing: an integrity check verifies it on its own, and the
 * catalog's locations can be rebuilt from segments alone.
 */
export const SEGMENT_MAGIC = Buffer.from('MKS1', 'latin1');
export const SEGMENT_TRAILER_BYTES = 4 + 4 + 32;
export const SEGMENT_FORMAT_VERSION = 1;

/** Where a message lives inside a segment. */
export interface SegmentEntry {
  readonly sha256: string;
  readonly offset: number;
  readonly size: number;
}

export interface SegmentIndex {
  readonly tenantId: string;
  readonly segmentId: string;
  readonly messages: readonly SegmentEntry[];
}

/** The chunks of a segment in write order: the messages as they are, then the index and trailer. */
export function encodeSegment(index: SegmentIndex, messages: readonly Buffer[]): Buffer[] {
  const indexBytes = Buffer.from(
    JSON.stringify({
      v: SEGMENT_FORMAT_VERSION,
      tenantId: index.tenantId,
      segmentId: index.segmentId,
      messages: index.messages.map((entry) => [entry.sha256, entry.offset, entry.size]),
    }),
    'utf8',
  );
  const checksum = createHash('sha256');
  for (const message of messages) checksum.update(message);
  checksum.update(indexBytes);
  const trailer = Buffer.alloc(SEGMENT_TRAILER_BYTES);
  SEGMENT_MAGIC.copy(trailer, 0);
  trailer.writeUInt32BE(indexBytes.length, 4);
  checksum.digest().copy(trailer, 8);
  return [...messages, indexBytes, trailer];
}

/** What an integrity check learns from a segment's bytes. */
export interface SegmentVerification {
  /** The trailer's SHA-256 matches the bytes before it. */
  readonly checksumValid: boolean;
  /** The index as read from the segment, or undefined when the trailer or index cannot be read. */
  readonly index?: SegmentIndex;
  /** Every indexed message whose bytes no longer hash to its address. */
  readonly damaged: readonly SegmentEntry[];
}

/**
 * Verifies a whole segment: its checksum, then each indexed message's hash, so a damaged segment
 * names exactly the messages it hurts. A segment is at most MAILKEEP_SEGMENT_MAX_BYTES plus one
 * message below the threshold, so it is checked in memory.
 */
export function verifySegment(bytes: Buffer): SegmentVerification {
  const index = decodeSegmentIndex(bytes);
  if (index === undefined) return { checksumValid: false, damaged: [] };
  const bodyEnd = bytes.length - SEGMENT_TRAILER_BYTES;
  const expected = bytes.subarray(bodyEnd + 8, bodyEnd + 40);
  const checksumValid = createHash('sha256').update(bytes.subarray(0, bodyEnd)).digest().equals(expected);
  const damaged = checksumValid
    ? []
    : index.messages.filter(
        (entry) =>
          entry.offset + entry.size > bodyEnd ||
          createHash('sha256')
            .update(bytes.subarray(entry.offset, entry.offset + entry.size))
            .digest('hex') !== entry.sha256,
      );
  return { checksumValid, index, damaged };
}

/** The index of a segment's bytes, or undefined when its trailer or index is unreadable. */
export function decodeSegmentIndex(bytes: Buffer): SegmentIndex | undefined {
  if (bytes.length < SEGMENT_TRAILER_BYTES) return undefined;
  const bodyEnd = bytes.length - SEGMENT_TRAILER_BYTES;
  if (!bytes.subarray(bodyEnd, bodyEnd + 4).equals(SEGMENT_MAGIC)) return undefined;
  const indexLength = bytes.readUInt32BE(bodyEnd + 4);
  if (indexLength > bodyEnd) return undefined;
  try {
    const parsed = JSON.parse(bytes.subarray(bodyEnd - indexLength, bodyEnd).toString('utf8')) as {
      v: number;
      tenantId: string;
      segmentId: string;
      messages: [string, number, number][];
    };
    if (parsed.v !== SEGMENT_FORMAT_VERSION || !Array.isArray(parsed.messages)) return undefined;
    return {
      tenantId: parsed.tenantId,
      segmentId: parsed.segmentId,
      messages: parsed.messages.map(([sha256, offset, size]) => ({ sha256, offset, size })),
    };
  } catch {
    return undefined;
  }
}
