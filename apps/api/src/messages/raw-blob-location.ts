import type { MessageRawLocation } from '@mailkeep/contracts';
import type { BlobLocation } from '@mailkeep/storage';

/**
 * Where the blob store finds a message's bytes: a range of a segment when the catalog knows one
 * (decision 0020), else undefined, i.e. the blob's own object at its content address.
 */
export function rawBlobLocation(raw: MessageRawLocation): BlobLocation | undefined {
  if (raw.segmentId === undefined || raw.segmentOffset === undefined) return undefined;
  return { segmentId: raw.segmentId, offset: raw.segmentOffset, size: raw.size };
}
