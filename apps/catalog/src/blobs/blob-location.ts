import type { BlobLocation } from '@mailkeep/storage';

/** Location columns as a query returns them (LEFT JOIN catalog.blob_location: null for own objects). */
export interface LocationColumns {
  readonly segment_id: string | null;
  readonly segment_offset: string | number | null;
  readonly size: string | number;
}

/** The blob store's location of a row's blob; undefined when the blob is its own object. */
export function blobLocation(row: LocationColumns): BlobLocation | undefined {
  if (row.segment_id === null || row.segment_offset === null) return undefined;
  return { segmentId: row.segment_id, offset: Number(row.segment_offset), size: Number(row.size) };
}

/** The join that adds a message's location: `l.segment_id`, `l.segment_offset`. */
export const LOCATION_JOIN =
  'LEFT JOIN catalog.blob_location l ON l.tenant_id = m.tenant_id AND l.sha256 = m.sha256';
