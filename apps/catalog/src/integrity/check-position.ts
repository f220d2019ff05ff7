/**
 * Where an integrity check stands, as its `position` column holds it. A check has two phases:
 * first the blobs stored as their own objects, in hash order; then the segments, in segment-id
 * order, each read once whole (decision 0020). The column holds
 * - null: nothing checked yet;
 * - a hash (64 hex digits): phase one, the last own-object blob checked. Checks started before
 *   segments were read whole stored the same, so their positions stay readable;
 * - `segments:` and nothing: phase one is done, no segment checked yet;
 * - `segments:<id>`: phase two, the last segment checked.
 */
export type CheckPosition =
  | { readonly phase: 'objects'; readonly after: string | null }
  | { readonly phase: 'segments'; readonly after: string | null };

const SEGMENTS_PREFIX = 'segments:';

export function parseCheckPosition(column: string | null): CheckPosition {
  if (column === null) return { phase: 'objects', after: null };
  if (!column.startsWith(SEGMENTS_PREFIX)) return { phase: 'objects', after: column };
  const segmentId = column.slice(SEGMENTS_PREFIX.length);
  return { phase: 'segments', after: segmentId === '' ? null : segmentId };
}

export function formatCheckPosition(position: CheckPosition): string | null {
  if (position.phase === 'objects') return position.after;
  return SEGMENTS_PREFIX + (position.after ?? '');
}
