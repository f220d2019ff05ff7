/**
 * Server responses read from the bytes as they arrived, for the answers whose mailbox names must
 * keep every byte (LIST, STATUS). imapflow's parser reads each line as UTF-8, so an 8-bit name in
 * a quoted string is U+FFFD before any of its APIs sees it (decision 0021).
 */

const CRLF = Buffer.from('\r\n');
/** `{n}` at the end of a line: n bytes of literal follow. */
const LITERAL_AT_END = /\{(\d+)\}$/;

/** One value of a response: an atom, a string (quoted or literal, as bytes), NIL or a list. */
export type ResponseValue =
  | { readonly kind: 'atom'; readonly text: string }
  | { readonly kind: 'string'; readonly bytes: Buffer }
  | { readonly kind: 'nil' }
  | { readonly kind: 'list'; readonly items: ResponseValue[] };

/**
 * The untagged responses (`* …`) in `bytes`, each as its values after the `*`, in order. A
 * response broken off at the end (the capture ended inside it) is left out.
 */
export function untaggedResponses(bytes: Buffer): ResponseValue[][] {
  const responses: ResponseValue[][] = [];
  let start = 0;
  let offset = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf(CRLF, offset);
    if (end < 0) break;
    const literal = LITERAL_AT_END.exec(bytes.subarray(offset, end).toString('latin1'));
    if (literal) {
      offset = end + 2 + Number(literal[1]);
      continue;
    }
    const response = bytes.subarray(start, end);
    if (response[0] === 0x2a /* * */ && response[1] === 0x20) {
      try {
        responses.push(parseValues(response.subarray(2)));
      } catch {
        // Not a response of the shapes read here; the caller looks for LIST and STATUS only.
      }
    }
    start = offset = end + 2;
  }
  return responses;
}

function parseValues(bytes: Buffer): ResponseValue[] {
  const reader = { at: 0 };
  return readList(bytes, reader, false);
}

function readList(bytes: Buffer, reader: { at: number }, nested: boolean): ResponseValue[] {
  const values: ResponseValue[] = [];
  while (reader.at < bytes.length) {
    const byte = bytes[reader.at] as number;
    if (byte === 0x20) {
      reader.at++;
    } else if (byte === 0x28 /* ( */) {
      reader.at++;
      values.push({ kind: 'list', items: readList(bytes, reader, true) });
    } else if (byte === 0x29 /* ) */) {
      if (!nested) throw new Error('unbalanced )');
      reader.at++;
      return values;
    } else if (byte === 0x22 /* " */) {
      values.push({ kind: 'string', bytes: readQuoted(bytes, reader) });
    } else if (byte === 0x7b /* { */) {
      const close = bytes.indexOf('}\r\n', reader.at);
      const size = Number(bytes.subarray(reader.at + 1, close).toString('latin1'));
      if (close < 0 || !Number.isInteger(size)) throw new Error('malformed literal');
      const start = close + 3;
      values.push({ kind: 'string', bytes: Buffer.from(bytes.subarray(start, start + size)) });
      reader.at = start + size;
    } else {
      let end = reader.at;
      while (end < bytes.length && ![0x20, 0x28, 0x29].includes(bytes[end] as number)) end++;
      const text = bytes.subarray(reader.at, end).toString('latin1');
      values.push(text.toUpperCase() === 'NIL' ? { kind: 'nil' } : { kind: 'atom', text });
      reader.at = end;
    }
  }
  if (nested) throw new Error('unbalanced (');
  return values;
}

/** A quoted string's bytes, `\"` and `\\` unescaped; 8-bit bytes are kept as sent (lenient). */
function readQuoted(bytes: Buffer, reader: { at: number }): Buffer {
  const out: number[] = [];
  for (let i = reader.at + 1; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x5c /* \ */ && i + 1 < bytes.length) {
      out.push(bytes[++i] as number);
    } else if (byte === 0x22) {
      reader.at = i + 1;
      return Buffer.from(out);
    } else {
      out.push(byte);
    }
  }
  throw new Error('unterminated quoted string');
}

/** The bytes of a string value, or of an atom (`INBOX` may come as one). */
export function bytesOf(value: ResponseValue | undefined): Buffer | undefined {
  if (value?.kind === 'string') return value.bytes;
  if (value?.kind === 'atom') return Buffer.from(value.text, 'latin1');
  return undefined;
}

/** The text of an atom, or of a string value (a delimiter comes quoted). */
export function textOf(value: ResponseValue | undefined): string | undefined {
  if (value?.kind === 'atom') return value.text;
  if (value?.kind === 'string') return value.bytes.toString('latin1');
  return undefined;
}
