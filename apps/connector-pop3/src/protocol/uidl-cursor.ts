import { deflateRawSync, inflateRawSync } from 'node:zlib';

import { ContractError } from '@mailkeep/contracts';

/**
 * The POP3 sync cursor of a mailbox (SPEC C2): the unique ids (UIDL) of the archived messages that
 * were still on the server at the last listing. POP3 has no order to resume from, so the cursor is a
 * set; ids gone from the server are pruned, so it never grows beyond the maildrop.
 *
 * Stored compactly: the ids sorted and front-coded (each as the length of the prefix it shares with
 * the one before, then the rest), joined by LF, raw-deflated and base64-encoded. Sorted ids share
 * long prefixes (Dovecot's are UID + UIDVALIDITY in hex), so 100 000 Dovecot ids take a few KB
 * (measured in uidl-cursor.spec.ts); random ids do not compress, see the README's limits.
 */
export interface Pop3Cursor {
  /** The encoding, so a later one can be told apart. */
  readonly format: typeof CURSOR_FORMAT;
  /** Number of ids, a check on decoding. */
  readonly count: number;
  /** base64(deflateRaw(front-coded sorted ids joined by LF)). */
  readonly uidls: string;
}

export const CURSOR_FORMAT = 'uidl-set/front-coded/deflate-raw/v1';

/**
 * The shared-prefix length is written as one character from `!` (0x21) on: ids are at most 70
 * characters (RFC 1939 §7), so it stays printable and never collides with the LF separator.
 */
const PREFIX_BASE = 0x21;
/** RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E. */
const UIDL_PATTERN = /^[\x21-\x7e]{1,70}$/;

export function encodeUidlCursor(uidls: Iterable<string>): Pop3Cursor {
  const sorted = [...uidls].sort();
  const lines: string[] = [];
  let previous = '';
  for (const uidl of sorted) {
    if (!UIDL_PATTERN.test(uidl))
      throw new Error(`Not a POP3 unique id: ${JSON.stringify(uidl.slice(0, 80))}`);
    let shared = 0;
    while (shared < previous.length && previous[shared] === uidl[shared]) shared++;
    lines.push(String.fromCharCode(PREFIX_BASE + shared) + uidl.slice(shared));
    previous = uidl;
  }
  const packed = deflateRawSync(Buffer.from(lines.join('\n'), 'latin1'));
  return { format: CURSOR_FORMAT, count: sorted.length, uidls: packed.toString('base64') };
}

/** Reads a stored cursor; anything else is a clear error (not a silent restart from nothing). */
export function decodeUidlCursor(value: unknown): Set<string> {
  const cursor = value as Partial<Pop3Cursor> | null;
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    cursor.format !== CURSOR_FORMAT ||
    typeof cursor.count !== 'number' ||
    typeof cursor.uidls !== 'string'
  ) {
    throw unreadable('its shape or format is unknown');
  }
  let text: string;
  try {
    text = inflateRawSync(Buffer.from(cursor.uidls, 'base64')).toString('latin1');
  } catch (error) {
    throw unreadable(`it does not inflate (${error instanceof Error ? error.message : String(error)})`);
  }
  const uidls = new Set<string>();
  let previous = '';
  for (const line of text === '' ? [] : text.split('\n')) {
    const shared = line.charCodeAt(0) - PREFIX_BASE;
    if (!(shared >= 0 && shared <= previous.length)) throw unreadable('its prefix coding is broken');
    const uidl = previous.slice(0, shared) + line.slice(1);
    if (!UIDL_PATTERN.test(uidl)) throw unreadable('it holds something that is not a unique id');
    uidls.add(uidl);
    previous = uidl;
  }
  if (uidls.size !== cursor.count) throw unreadable(`it holds ${uidls.size} ids, not ${cursor.count}`);
  return uidls;
}

function unreadable(why: string): ContractError {
  // Not retried: the same bytes are read next time. Deleting the cursor key re-archives the
  // mailbox (deduplicated), which is the operator's call, not the connector's.
  return new ContractError('INTERNAL', `The stored POP3 cursor cannot be read: ${why}`, {
    reason: 'internal',
  });
}
