/**
 * An IMAP sequence set of UIDs (RFC 9051 §9 `sequence-set`) with runs collapsed: `[1,2,3,5,8,9]`
 * → `1:3,5,8:9`. Throws on a UID that is not a positive 32-bit integer, which would otherwise
 * produce a command the server rejects, or one that names other messages.
 */
export function uidSet(uids: readonly number[]): string {
  if (uids.length === 0) throw new Error('An empty UID set names no message');
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (const uid of sorted) {
    if (!Number.isInteger(uid) || uid < 1 || uid > 0xffff_ffff) throw new Error(`Invalid UID: ${uid}`);
  }
  const parts: string[] = [];
  let start = sorted[0] as number;
  let end = start;
  for (const uid of sorted.slice(1)) {
    if (uid === end + 1) {
      end = uid;
      continue;
    }
    parts.push(start === end ? String(start) : `${start}:${end}`);
    start = end = uid;
  }
  parts.push(start === end ? String(start) : `${start}:${end}`);
  return parts.join(',');
}
