import iconv from 'iconv-lite';

/**
 * Text in modified UTF-7 (RFC 3501 §5.1.3), with iconv-lite's `utf-7-imap` codec, the one
 * imapflow uses. Only its canonical output decodes back to the same bytes, which is how
 * `mailbox-name.ts` tells a canonical listed name from one that is not.
 */
export function encodeModifiedUtf7(name: string): string {
  return iconv.encode(name, 'utf-7-imap').toString('latin1');
}
