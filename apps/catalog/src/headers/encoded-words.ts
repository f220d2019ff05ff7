import { decodeCharset, isStateful } from './charsets.js';

/**
 * An RFC 2047 encoded word: `=?charset?B|Q?text?=`. Lenient as mail clients are: found anywhere
 * (not only between spaces), and Q text may hold a space a broken mailer left in it.
 */
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?]*)\?=/g;
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

interface EncodedWord {
  readonly charset: string;
  readonly bytes: Buffer;
}

/**
 * Decodes the RFC 2047 encoded words of a header value that is already text. Adjacent encoded
 * words (only whitespace between them, which RFC 2047 §6.2 says to drop) of the same charset are
 * joined as bytes before decoding, so a multi-byte character split across two words survives
 * (except in stateful charsets, ISO-2022-JP and UTF-7, whose words each stand alone). A
 * word that cannot be decoded (bad base64) is kept as written.
 */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  let result = '';
  let pending: EncodedWord | undefined;
  let last = 0;
  const flush = () => {
    if (pending) result += decodeCharset(pending.charset, pending.bytes);
    pending = undefined;
  };
  for (const match of text.matchAll(ENCODED_WORD)) {
    const between = text.slice(last, match.index);
    last = match.index + match[0].length;
    const word = decodeWord(match[1]!, match[2]!, match[3]!);
    if (!word) {
      flush();
      result += between + match[0];
      continue;
    }
    const adjacent = pending !== undefined && /^\s*$/.test(between);
    if (adjacent && sameCharset(pending!.charset, word.charset) && !isStateful(word.charset)) {
      pending = { charset: pending!.charset, bytes: Buffer.concat([pending!.bytes, word.bytes]) };
      continue;
    }
    flush();
    // Whitespace between two encoded words is dropped; any other text between them stays.
    result += adjacent ? '' : between;
    pending = word;
  }
  flush();
  return result + text.slice(last);
}

function decodeWord(charset: string, encoding: string, text: string): EncodedWord | undefined {
  if (encoding === 'B' || encoding === 'b') {
    const compact = text.replace(/\s+/g, '');
    if (!BASE64_TEXT.test(compact)) return undefined;
    return { charset, bytes: Buffer.from(compact, 'base64') };
  }
  return { charset, bytes: decodeQ(text) };
}

/** RFC 2047 Q: `_` is a space, `=XX` a byte; a stray `=` stays a literal `=`. */
function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const character = text[i]!;
    if (character === '_') {
      bytes.push(0x20);
    } else if (character === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      // Encoded text is ASCII; anything else is a broken word, kept byte for byte as Latin-1.
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function sameCharset(a: string, b: string): boolean {
  return a.split('*')[0]!.toLowerCase() === b.split('*')[0]!.toLowerCase();
}
