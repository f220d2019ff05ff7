/** A message to fetch, as the size listing (`UID FETCH … (RFC822.SIZE)`) reported it. */
export interface ListedMessage {
  readonly uid: number;
  /** RFC822.SIZE; undefined when the server did not say (such a message is streamed). */
  readonly size: number | undefined;
}

/** One step of a folder's fetch plan, in UID order. */
export type FetchStep =
  /** Small messages fetched together by one pipelined `UID FETCH <set> BODY.PEEK[]`. */
  | { readonly kind: 'range'; readonly uids: readonly number[]; readonly bytes: number }
  /** One large message streamed by partial fetches, never whole in memory. */
  | { readonly kind: 'stream'; readonly uid: number; readonly size: number | undefined };

export interface FetchPlanLimits {
  /** A range holds at most this many bytes (sizes as listed), so a range's buffers stay small. */
  readonly maxRangeBytes: number;
  /** A range holds at most this many messages (bounds the command line of a sparse UID set). */
  readonly maxRangeMessages: number;
  /** Messages larger than this are streamed on their own. */
  readonly streamAboveBytes: number;
}

export const DEFAULT_FETCH_PLAN_LIMITS: FetchPlanLimits = {
  // Two ranges are in memory at once (one archived while the next is fetched): 2 × 4 MiB stays
  // small beside a worker's baseline, and 4 MiB is hundreds of typical mails per round trip.
  maxRangeBytes: 4 * 1024 * 1024,
  // 250 sparse UIDs of up to 10 digits make a ~3 KB command line, well inside the 8 KB RFC 7162
  // asks clients to stay under; and a range is then also a natural checkpoint granularity.
  maxRangeMessages: 250,
  // Above 1 MiB a message is streamed in chunks; below, one range round trip is far cheaper than
  // a partial-fetch loop per message, and buffering it whole costs at most 1 MiB.
  streamAboveBytes: 1024 * 1024,
};

/**
 * Splits a folder's new messages (ascending UIDs) into fetch steps that keep UID order: runs of
 * small messages become ranges bounded by bytes and count; every large message (or one of unknown
 * size) is a stream step of its own.
 */
export function planFetches(
  messages: readonly ListedMessage[],
  limits: FetchPlanLimits = DEFAULT_FETCH_PLAN_LIMITS,
): FetchStep[] {
  const steps: FetchStep[] = [];
  let uids: number[] = [];
  let bytes = 0;
  const flush = () => {
    if (uids.length > 0) steps.push({ kind: 'range', uids, bytes });
    uids = [];
    bytes = 0;
  };
  let previous = 0;
  for (const { uid, size } of messages) {
    if (uid <= previous) throw new Error(`UIDs must ascend: ${uid} after ${previous}`);
    previous = uid;
    if (size === undefined || size > limits.streamAboveBytes) {
      flush();
      steps.push({ kind: 'stream', uid, size });
      continue;
    }
    if (uids.length >= limits.maxRangeMessages || (uids.length > 0 && bytes + size > limits.maxRangeBytes)) {
      flush();
    }
    uids.push(uid);
    bytes += size;
  }
  flush();
  return steps;
}
