import { TextDecoder } from 'node:util';

/**
 * Bytes to text for header values. Charset labels go through the WHATWG Encoding Standard's
 * TextDecoder (Node with full ICU: iso-8859-x, windows-125x, koi8-r/u, shift_jis, euc-kr, gb18030,
 * big5, utf-16, …; `iso-8859-1` and `us-ascii` mean windows-1252 there, a superset).
 */

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const WINDOWS_1252 = new TextDecoder('windows-1252');

/** Decoders by lower-cased label; `null` remembers a label the platform does not know. */
const decoders = new Map<string, TextDecoder | null>();

/**
 * Undeclared bytes: UTF-8 when they are valid UTF-8 (RFC 6532 headers, and what most mailers send
 * today), else windows-1252, the usual charset of raw 8-bit headers, which maps every byte to a
 * character so nothing is lost.
 */
export function decodeUndeclared(bytes: Uint8Array): string {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    return WINDOWS_1252.decode(bytes);
  }
}

/**
 * Bytes in a declared charset. An unknown label, and bytes labelled UTF-8 that are not valid
 * UTF-8 (a mislabelled message), are read as undeclared bytes instead of being dropped.
 */
export function decodeCharset(label: string, bytes: Uint8Array): string {
  const decoder = decoderFor(label);
  if (!decoder) return decodeUndeclared(bytes);
  if (decoder.encoding === 'utf-8') return decodeUndeclared(bytes);
  return decoder.decode(bytes);
}

function decoderFor(label: string): TextDecoder | null {
  // RFC 2231 allows a language after the charset: `utf-8*en`.
  const key = label.split('*')[0]!.trim().toLowerCase();
  let decoder = decoders.get(key);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(key);
    } catch {
      decoder = null;
    }
    decoders.set(key, decoder);
  }
  return decoder;
}

/**
 * A header value of the archived event as text. The connector reads the header block as UTF-8
 * when it is valid UTF-8 and as Latin-1 otherwise (each byte one code point), so a value holding a
 * code point above U+00FF is already text; any other value is taken back to its bytes and read as
 * undeclared bytes. (A UTF-8 text made only of Latin-1 letters round-trips the same way: its bytes
 * are not valid UTF-8 and windows-1252 gives the same letters back.)
 */
export function headerText(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) > 0xff) return raw;
  }
  return decodeUndeclared(Buffer.from(raw, 'latin1'));
}
