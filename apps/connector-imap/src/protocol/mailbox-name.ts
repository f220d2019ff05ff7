import iconv from 'iconv-lite';

import { encodeModifiedUtf7 } from './modified-utf7.js';

/**
 * Mailbox names as the server listed them (issue 17 item 4, decision 0021). The listed bytes are
 * the folder's identity on the wire: every command that names the folder sends exactly them. The
 * archive names the folder with a text that maps one-to-one onto those bytes:
 *
 * - canonical modified UTF-7 (RFC 3501 §5.1.3), every level non-empty and free of `/`: the decoded
 *   text with `/` between levels (`INBOX.Entw&APw-rfe` on a `.` server is `INBOX/Entwürfe`),
 *   as folders were always named, so existing cursors and catalog rows keep their keys;
 * - anything else (`&AGE-`, `&ZZZ`, `bad&-x&`, `a/b` on a `.` server, `//x`, 8-bit bytes):
 *   `raw:` and the listed bytes, printable ASCII as is and every other byte (and `\`) as `\xNN`.
 *   A decoded name starting with `raw:` is written this way too, so the two forms never meet.
 */
export const RAW_NAME_PREFIX = 'raw:';

/**
 * The name of a listed folder in the archive (a message's `folder`, its cursor key). `utf8`: the
 * session has UTF8=ACCEPT (or IMAP4rev2) enabled, so names are UTF-8 on the wire, not modified UTF-7.
 */
export function folderNameOf(listed: Buffer, delimiter: string | null | undefined, utf8 = false): string {
  const decoded = utf8 ? decodeUtf8(listed) : decodeCanonical(listed);
  if (decoded !== undefined) {
    const levels = delimiter ? decoded.split(delimiter) : [decoded];
    if (levels.every((level) => level !== '' && !level.includes('/'))) {
      // INBOX is case-insensitive on every server (RFC 3501 §5.1).
      if (levels[0]?.toUpperCase() === 'INBOX') levels[0] = 'INBOX';
      const name = levels.join('/');
      if (!name.startsWith(RAW_NAME_PREFIX)) return name;
    }
  }
  return rawName(listed);
}

/** `raw:` and the bytes, printable ASCII but `\` as is, every other byte as `\xNN`. */
export function rawName(listed: Buffer): string {
  let text = RAW_NAME_PREFIX;
  for (const byte of listed) {
    text +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}

/**
 * The decoded text when the bytes are modified UTF-7 in its one canonical form (they encode back
 * to themselves); undefined for anything else, which a decoder would read as some other name.
 */
function decodeCanonical(listed: Buffer): string | undefined {
  if (!listed.every((byte) => byte >= 0x20 && byte <= 0x7e)) return undefined;
  const text = listed.toString('latin1');
  if (!text.includes('&')) return text;
  const decoded = iconv.decode(listed, 'utf-7-imap');
  return encodeModifiedUtf7(decoded) === text ? decoded : undefined;
}

/** The text of valid UTF-8 without control characters; undefined otherwise. */
function decodeUtf8(listed: Buffer): string | undefined {
  const text = listed.toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  if (!Buffer.from(text, 'utf8').equals(listed) || /[\u0000-\u001f\u007f]/.test(text)) return undefined;
  return text;
}

/**
 * Whether the bytes may go out as a quoted string: 7-bit TEXT-CHARs only (RFC 3501 §4.3, §9
 * `QUOTED-CHAR`); 8-bit bytes, CR, LF and NUL need a literal.
 */
export function quotable(bytes: Buffer): boolean {
  return bytes.every((byte) => byte >= 0x01 && byte <= 0x7f && byte !== 0x0a && byte !== 0x0d);
}

/** The quoted-string form of quotable bytes: `"` and `\` escaped. */
export function quoted(bytes: Buffer): string {
  return `"${bytes.toString('latin1').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
