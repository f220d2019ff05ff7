import { Readable } from 'node:stream';

import { ContractError } from '@mailkeep/contracts';

/**
 * Reads a `messages.get?format=raw` response without holding it: the fields before `raw` (id,
 * labelIds…) are parsed as soon as `raw` starts, and `raw` itself comes out as a stream of the
 * decoded bytes, base64url decoded group by group as the body arrives. A 50 MB message never
 * exists as a 67 MB JSON string nor as a second copy; memory stays at a few chunks.
 */
export interface RawMessageHead {
  readonly id: string;
  /**
   * Undefined when `labelIds` did not come before `raw` (Gmail sends it first; a message without
   * any label has none at all): the caller asks `format=minimal` for them.
   */
  readonly labelIds?: readonly string[];
  readonly sizeEstimate?: number;
}

export interface OpenedRawMessage {
  readonly head: RawMessageHead;
  /** The exact RFC 822 bytes. Errors when the body is cut, malformed, or ends before `raw` does. */
  readonly source: Readable;
}

/** The fields before `raw` are a few hundred bytes (ids, labels, a 200-character snippet). */
const MAX_HEAD_CHARS = 256 * 1024;
/** What follows `raw` is `historyId` and `internalDate`. */
const MAX_TAIL_CHARS = 64 * 1024;

const malformed = (why: string): ContractError =>
  new ContractError('TEMPORARY', `Gmail's raw message response is malformed: ${why}`, { reason: 'protocol' });

/** Consumes `body` up to the start of `raw`; the rest is read as the returned source is read. */
export async function openRawMessage(body: AsyncIterable<Uint8Array>): Promise<OpenedRawMessage> {
  const iterator = body[Symbol.asyncIterator]();
  const scanner = new HeadScanner();
  let rest: string | undefined;
  while (rest === undefined) {
    const next = await iterator.next();
    if (next.done) throw malformed('the body ended before the raw field');
    rest = scanner.feed(Buffer.from(next.value).toString('latin1'));
  }
  const head = scanner.head();
  return { head, source: Readable.from(decodeRaw(rest, iterator), { objectMode: false }) };
}

/**
 * Decodes base64url text up to the closing quote. JSON escapes cannot occur in base64url, so the
 * first `"` ends the value. Characters are handled in groups of 4 (3 bytes), the remainder kept.
 */
async function* decodeRaw(first: string, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  let pending = '';
  let tail: string | undefined;
  let text: string | undefined = first;
  for (;;) {
    if (text === undefined) {
      const next = await iterator.next();
      if (next.done) break;
      text = Buffer.from(next.value).toString('latin1');
    }
    if (tail !== undefined) {
      tail += text;
      if (tail.length > MAX_TAIL_CHARS) throw malformed('too much data after the raw field');
    } else {
      const end = text.indexOf('"');
      const encoded = pending + (end === -1 ? text : text.slice(0, end));
      const whole = encoded.length - (end === -1 ? encoded.length % 4 : 0);
      if (whole > 0) yield Buffer.from(encoded.slice(0, whole), 'base64url');
      pending = encoded.slice(whole);
      if (end !== -1) tail = text.slice(end + 1);
    }
    text = undefined;
  }
  if (tail === undefined) throw malformed('the body ended inside the raw field');
  // The closing part must complete the object: `, "historyId": "…", "internalDate": "…" }`.
  try {
    JSON.parse(`{${tail.trim().replace(/^,/, '')}`);
  } catch {
    throw malformed('the fields after raw do not form JSON');
  }
}

/**
 * Finds the `raw` key at the top level of the object, tracking strings and nesting so that a
 * `"raw"` inside the snippet or a label name is not mistaken for it.
 */
class HeadScanner {
  private text = '';
  private position = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringStart = -1;
  private lastString = '';
  private lastStringDepth = -1;
  private keyEnd = -1;

  /** Adds text; returns what follows the opening quote of `raw`'s value once it is reached. */
  feed(chunk: string): string | undefined {
    this.text += chunk;
    for (; this.position < this.text.length; this.position += 1) {
      // The limit is on where raw starts, not on the chunk it comes in (which may hold megabytes of it).
      if (this.position >= MAX_HEAD_CHARS) throw malformed('no raw field near the start');
      const c = this.text[this.position];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') {
          this.inString = false;
          this.lastString = this.text.slice(this.stringStart + 1, this.position);
          this.lastStringDepth = this.depth;
        }
        continue;
      }
      if (c === '"') {
        if (this.keyEnd !== -1) {
          // The opening quote of raw's value.
          const rest = this.text.slice(this.position + 1);
          return rest;
        }
        this.inString = true;
        this.stringStart = this.position;
      } else if (c === '{' || c === '[') this.depth += 1;
      else if (c === '}' || c === ']') this.depth -= 1;
      else if (c === ':' && this.depth === 1 && this.lastString === 'raw' && this.lastStringDepth === 1) {
        this.keyEnd = this.position;
      } else if (this.keyEnd !== -1 && !/\s/.test(c ?? '')) {
        throw malformed('raw is not a string');
      }
    }
    return undefined;
  }

  /** The fields before `raw`, parsed. */
  head(): RawMessageHead {
    const before = this.text.slice(0, this.keyEnd);
    // Drop the `"raw"` key just read and close the object.
    const object = `${before.slice(0, before.lastIndexOf('"raw"')).trimEnd().replace(/,$/, '')}}`;
    let parsed: { id?: unknown; labelIds?: unknown; sizeEstimate?: unknown };
    try {
      parsed = JSON.parse(object) as typeof parsed;
    } catch {
      throw malformed('the fields before raw do not form JSON');
    }
    if (typeof parsed.id !== 'string') throw malformed('no id before raw');
    return {
      id: parsed.id,
      ...(Array.isArray(parsed.labelIds) && {
        labelIds: parsed.labelIds.filter((l): l is string => typeof l === 'string'),
      }),
      ...(typeof parsed.sizeEstimate === 'number' && { sizeEstimate: parsed.sizeEstimate }),
    };
  }
}
