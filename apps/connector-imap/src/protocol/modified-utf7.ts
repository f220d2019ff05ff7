/** Printable US-ASCII other than `&` stands for itself in a mailbox name (RFC 3501 §5.1.3). */
const NEEDS_ENCODING = /&|[^\x20-\x7e]+/g;

/**
 * A mailbox name as IMAP4rev1 puts it on the wire: modified UTF-7 (RFC 3501 §5.1.3). `&` becomes
 * `&-`; every run of other characters becomes `&`, its UTF-16BE code units in base64 with `,` for
 * `/` and no padding, and `-`. This is the canonical form servers produce when they list a folder,
 * so a name imapflow decoded from a listing encodes back to the bytes the server sent.
 */
export function encodeModifiedUtf7(name: string): string {
  return name.replace(NEEDS_ENCODING, (run) => {
    if (run === '&') return '&-';
    const utf16be = Buffer.from(run, 'utf16le').swap16();
    return `&${utf16be.toString('base64').replace(/=+$/, '').replaceAll('/', ',')}-`;
  });
}
