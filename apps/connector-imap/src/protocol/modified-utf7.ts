import iconv from 'iconv-lite';

/**
 * A mailbox name as IMAP4rev1 puts it on the wire: modified UTF-7 (RFC 3501 §5.1.3), with
 * iconv-lite's `utf-7-imap` codec, the one imapflow encodes the session's names with, so both
 * connections name a folder with the same bytes. It is the canonical form servers list names in,
 * so a name imapflow decoded from a listing encodes back to what the server sent.
 */
export function encodeModifiedUtf7(name: string): string {
  return iconv.encode(name, 'utf-7-imap').toString('latin1');
}
