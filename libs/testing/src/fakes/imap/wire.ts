/**
 * The byte-level pieces of the IMAP fake: reading one client command (with its literals) off a
 * buffer, splitting its arguments into tokens, and writing a mailbox name the way RFC 3501
 * §4.3 / §5.1.3 allow (a quoted string when every byte may stand in one, a literal otherwise).
 * Names are bytes throughout: the fake must be able to list and open names that are not UTF-8.
 */

const CRLF = Buffer.from('\r\n');
/** `{n}` (synchronizing) or `{n+}` (LITERAL+) at the end of a line. */
const LITERAL_AT_END = /\{(\d+)(\+?)\}$/;

/** One argument of a command: an atom, a string (quoted or literal, as bytes) or a list. */
export type Token =
  | { readonly kind: 'atom'; readonly text: string }
  | { readonly kind: 'string'; readonly bytes: Buffer; readonly literal: boolean }
  | { readonly kind: 'list'; readonly items: Token[] };

export type CommandRead =
  | { readonly kind: 'incomplete' }
  /** A synchronizing literal announced: the server must send `+` before the client goes on. */
  | { readonly kind: 'continue' }
  | { readonly kind: 'command'; readonly bytes: Buffer; readonly length: number };

/**
 * Reads one command from the start of `buffer`: its line and every literal it announces, through
 * the CRLF that ends it. `acknowledged` is how many synchronizing literals the server already
 * answered with `+`, so the caller asks for the next one exactly once.
 */
export function readCommand(buffer: Buffer, acknowledged: number): CommandRead {
  let offset = 0;
  let synchronizing = 0;
  for (;;) {
    const end = buffer.indexOf(CRLF, offset);
    if (end < 0) return { kind: 'incomplete' };
    const line = buffer.subarray(offset, end).toString('latin1');
    const literal = LITERAL_AT_END.exec(line);
    if (!literal) return { kind: 'command', bytes: buffer.subarray(0, end), length: end + 2 };
    if (literal[2] !== '+') {
      synchronizing++;
      if (synchronizing > acknowledged) return { kind: 'continue' };
    }
    const size = Number(literal[1]);
    if (buffer.length < end + 2 + size) return { kind: 'incomplete' };
    offset = end + 2 + size;
  }
}

/** Splits a command's arguments (everything after tag and command name) into tokens. */
export function tokenize(bytes: Buffer): Token[] {
  return readTokens({ bytes, at: 0 }, false);
}

function readTokens(reader: { bytes: Buffer; at: number }, inList: boolean): Token[] {
  const tokens: Token[] = [];
  const { bytes } = reader;
  while (reader.at < bytes.length) {
    const byte = bytes[reader.at] as number;
    if (byte === 0x20) {
      reader.at++;
      continue;
    }
    if (byte === 0x29 /* ) */) {
      if (!inList) throw new Error('unbalanced )');
      reader.at++;
      return tokens;
    }
    if (byte === 0x28 /* ( */) {
      reader.at++;
      tokens.push({ kind: 'list', items: readTokens(reader, true) });
      continue;
    }
    if (byte === 0x22 /* " */) {
      tokens.push({ kind: 'string', bytes: readQuoted(reader), literal: false });
      continue;
    }
    if (byte === 0x7b /* { */) {
      const close = bytes.indexOf(0x7d, reader.at);
      const size = Number(/^\{(\d+)\+?$/.exec(bytes.subarray(reader.at, close).toString('latin1'))?.[1]);
      if (close < 0 || !Number.isInteger(size) || bytes[close + 1] !== 0x0d || bytes[close + 2] !== 0x0a) {
        throw new Error('malformed literal');
      }
      const start = close + 3;
      tokens.push({ kind: 'string', bytes: Buffer.from(bytes.subarray(start, start + size)), literal: true });
      reader.at = start + size;
      continue;
    }
    // An atom, brackets included (`BODY.PEEK[]<0.100>`): it ends at a space or a parenthesis
    // outside brackets.
    let end = reader.at;
    let depth = 0;
    while (end < bytes.length) {
      const c = bytes[end] as number;
      if (c === 0x5b) depth++;
      else if (c === 0x5d) depth--;
      else if (depth <= 0 && (c === 0x20 || c === 0x28 || c === 0x29)) break;
      end++;
    }
    tokens.push({ kind: 'atom', text: bytes.subarray(reader.at, end).toString('latin1') });
    reader.at = end;
  }
  if (inList) throw new Error('unbalanced (');
  return tokens;
}

function readQuoted(reader: { bytes: Buffer; at: number }): Buffer {
  const out: number[] = [];
  const { bytes } = reader;
  for (let i = reader.at + 1; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === 0x5c /* \ */) {
      const next = bytes[i + 1];
      if (next !== 0x22 && next !== 0x5c) throw new Error('invalid escape in quoted string');
      out.push(next);
      i++;
      continue;
    }
    if (c === 0x22) {
      reader.at = i + 1;
      return Buffer.from(out);
    }
    out.push(c);
  }
  throw new Error('unterminated quoted string');
}

/**
 * A name as an IMAP4rev1 server must send it (RFC 3501 §4.3): a quoted string when every byte is
 * a 7-bit TEXT-CHAR (`"` and `\` escaped), a literal otherwise (8-bit bytes, CR, LF, NUL).
 */
export function encodeString(bytes: Buffer): Buffer {
  const quotable = bytes.every((b) => b >= 0x01 && b <= 0x7f && b !== 0x0a && b !== 0x0d);
  if (!quotable) return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
  const escaped = bytes.toString('latin1').replace(/["\\]/g, (c) => `\\${c}`);
  return Buffer.from(`"${escaped}"`, 'latin1');
}

/** The bytes of a string argument, or of an atom taken as a name (`INBOX`). */
export function argumentBytes(token: Token | undefined): Buffer | undefined {
  if (token?.kind === 'string') return token.bytes;
  if (token?.kind === 'atom') return Buffer.from(token.text, 'latin1');
  return undefined;
}
