import { TextDecoder } from 'node:util';

import iconv from 'iconv-lite';

/**
 * Bytes to text for header values. Charset labels go through the WHATWG Encoding Standard's
 * TextDecoder (Node with full ICU: iso-8859-x, windows-125x, koi8-r/u, shift_jis, euc-kr, gb18030,
 * big5, utf-16, …; `iso-8859-1` and `us-ascii` mean windows-1252 there, a superset).
 */

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const WINDOWS_1252 = new TextDecoder('windows-1252');

/** Bytes to text in one charset. */
interface Decoder {
  /** The WHATWG name (`utf-8`, `iso-2022-jp`, …) or iconv-lite's (`utf7`). */
  readonly encoding: string;
  decode(bytes: Uint8Array): string;
}

/** Decoders by lower-cased label; `null` remembers a label neither TextDecoder nor iconv-lite knows. */
const decoders = new Map<string, Decoder | null>();

/**
 * Undeclared bytes: UTF-8 when they are valid UTF-8 (RFC 6532 headers, and what most mailers send
 * today), else the charset the message declares for its body (its top Content-Type: a mailer that
 * writes raw Big5 or GB2312 headers writes the body in the same charset) when the bytes are valid
 * in it, else windows-1252, the usual charset of raw 8-bit headers, which maps every byte to a
 * character so nothing is lost.
 */
export function decodeUndeclared(bytes: Uint8Array, declaredCharset?: string): string {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    const declared = declaredCharset === undefined ? undefined : strictDecoderFor(declaredCharset);
    if (declared) {
      try {
        return declared.decode(bytes);
      } catch {
        // Not that charset either: the bytes are read as windows-1252 below.
      }
    }
    return WINDOWS_1252.decode(bytes);
  }
}

/** A decoder that throws on bytes invalid in the charset (WHATWG labels only; null otherwise). */
function strictDecoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label.trim().toLowerCase(), { fatal: true });
  } catch {
    return null;
  }
}

/**
 * Stateful charsets: each encoded word starts and ends in the charset's initial state (RFC 2047
 * §5: a word is an integral number of characters), so adjacent words are decoded one by one and
 * never joined as bytes (joined ISO-2022-JP words would put two escape sequences back to back,
 * which a decoder reports as an error).
 */
export function isStateful(label: string): boolean {
  const encoding = decoderFor(label)?.encoding ?? '';
  return encoding.startsWith('iso-2022') || encoding === 'utf7' || encoding === 'utf-7';
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

function decoderFor(label: string): Decoder | null {
  // RFC 2231 allows a language after the charset: `utf-8*en`.
  const key = label.split('*')[0]!.trim().toLowerCase();
  let decoder = decoders.get(key);
  if (decoder === undefined) {
    decoder = platformDecoder(key) ?? iconvDecoder(key);
    decoders.set(key, decoder);
  }
  return decoder;
}

function platformDecoder(key: string): Decoder | null {
  try {
    return new TextDecoder(key);
  } catch {
    return null;
  }
}

/** Charsets the Encoding Standard leaves out on purpose but mail still has: UTF-7 (RFC 2152) above all. */
function iconvDecoder(key: string): Decoder | null {
  if (!iconv.encodingExists(key)) return null;
  return {
    encoding: key.replace(/[^a-z0-9]/g, ''),
    decode: (bytes) => iconv.decode(Buffer.from(bytes), key),
  };
}

/**
 * A header value of the archived event as text. The connector reads the header block as UTF-8
 * when it is valid UTF-8 and as Latin-1 otherwise (each byte one code point), so a value holding a
 * code point above U+00FF is already text; any other value is taken back to its bytes and read as
 * undeclared bytes (with the message's declared charset when the caller knows it). (A UTF-8 text made only of Latin-1 letters round-trips the same way: its bytes
 * are not valid UTF-8 and windows-1252 gives the same letters back.)
 */
export function headerText(raw: string, declaredCharset?: string): string {
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) > 0xff) return raw;
  }
  return decodeUndeclared(Buffer.from(raw, 'latin1'), declaredCharset);
}
