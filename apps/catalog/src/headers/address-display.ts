import { decodeEncodedWords } from './encoded-words.js';

/** Adjacent encoded words (whitespace between them only): one phrase once decoded. */
const ENCODED_RUN = /=\?[^?\s]+\?[BbQq]\?[^?]*\?=(?:\s*=\?[^?\s]+\?[BbQq]\?[^?]*\?=)*/g;
/** RFC 5322 specials: a display name holding one must stay quoted to be read back as one name. */
const SPECIALS = /[()<>[\]:;@\\,."]/;

/**
 * An address header (From, To, Cc) decoded for display: encoded words are decoded, and a decoded
 * display name holding a special (`"Hörst, Kenny"` sent as `=?utf-8?Q?H=C3=B6rst=2C_Kenny?=`) is
 * quoted, so the comma reads as part of the name and not as a second recipient. Quoted strings are
 * kept quoted (their encoded words decoded inside, as mailers write them).
 */
export function decodeAddressHeader(text: string): string {
  if (!text.includes('=?')) return text;
  let result = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    result += decodeUnquoted(text.slice(last, i));
    const end = quotedEnd(text, i);
    result += `"${escapeQuoted(decodeEncodedWords(text.slice(i + 1, end)))}"`;
    i = end;
    last = end + 1;
  }
  return result + decodeUnquoted(text.slice(last));
}

function decodeUnquoted(text: string): string {
  return text.replace(ENCODED_RUN, (run) => {
    const decoded = decodeEncodedWords(run);
    return SPECIALS.test(decoded) ? `"${decoded.replace(/["\\]/g, '\\$&')}"` : decoded;
  });
}

/** Inside quotes only `"` and `\` need escaping; an escape already written stays as it is. */
function escapeQuoted(text: string): string {
  return text.replace(/\\(.)|(["\\])/g, (whole, escaped: string | undefined) =>
    escaped === undefined ? `\\${whole}` : whole,
  );
}

/** Index of the quote closing the quoted string opened at `start` (or the end of the text). */
export function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
