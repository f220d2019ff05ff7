import { Transform, type TransformCallback } from 'node:stream';

import { ARCHIVED_HEADER_LIMITS } from '@mailkeep/contracts';

/**
 * The most of a message's start inspected for headers. Real header blocks are a few KiB; mailing
 * lists and long Received chains reach tens of KiB. 256 KiB covers them with a wide margin while
 * keeping the memory per message bounded whatever a hostile or broken message contains.
 */
export const DEFAULT_HEADER_LIMIT_BYTES = 256 * 1024;

/** The headers the catalog needs (SPEC A3), raw: unfolded, trimmed, nothing decoded. */
export interface RawHeaders {
  messageId?: string;
  subject?: string;
  from?: string;
  to?: string;
  cc?: string;
  date?: string;
}

export interface HeaderReadResult {
  readonly headers: RawHeaders;
  /** True when the header block went past the limit: only the headers within it were read. */
  readonly truncated: boolean;
}

const WANTED: Record<string, keyof RawHeaders> = {
  'message-id': 'messageId',
  subject: 'subject',
  from: 'from',
  to: 'to',
  cc: 'cc',
  date: 'date',
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LF = 0x0a;
const CR = 0x0d;

/**
 * A pass-through stream that reads the header block from the start of a message while every byte
 * goes on unchanged (to the blob store). It keeps only the header bytes (at most `limitBytes`),
 * never the body, and stops looking at the first empty line or at the limit.
 *
 * Values are returned raw: RFC 2047 encoded-words and charsets are the catalog's business. Bytes
 * are read as UTF-8 when they are valid UTF-8 (RFC 6532 headers), else as Latin-1 so that no byte
 * is lost; either way the stored blob is the source of truth.
 */
export class HeaderReader extends Transform {
  private readonly chunks: Buffer[] = [];
  private collected = 0;
  private tail: Buffer = Buffer.alloc(0);
  private done = false;
  private resolveResult!: (result: HeaderReadResult) => void;
  /** Settles when the header block is read (or the stream ended without one). */
  readonly result: Promise<HeaderReadResult>;

  constructor(private readonly limitBytes: number = DEFAULT_HEADER_LIMIT_BYTES) {
    super();
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.done) this.inspect(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    // A message that is all header (no empty line) ends here: what was collected is the block.
    if (!this.done) this.finish(Buffer.concat(this.chunks), false);
    callback();
  }

  private inspect(chunk: Buffer): void {
    const before = this.collected;
    const room = this.limitBytes - before;
    const taken = chunk.length > room ? chunk.subarray(0, room) : chunk;
    // Search the new bytes plus the last two seen, in case "\n\r\n" spans chunks; never the whole
    // block again, so many tiny chunks cost linear time.
    const window = Buffer.concat([this.tail, taken]);
    const windowStart = before - this.tail.length;
    this.chunks.push(taken);
    this.collected += taken.length;
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - 2)));
    const end = headerEnd(window, windowStart === 0);
    if (end !== undefined)
      return this.finish(Buffer.concat(this.chunks).subarray(0, windowStart + end), false);
    if (this.collected >= this.limitBytes) {
      // Over the limit: drop the last, probably cut, line and keep the complete ones.
      const block = Buffer.concat(this.chunks);
      this.finish(block.subarray(0, block.lastIndexOf(LF) + 1), true);
    }
  }

  private finish(block: Buffer, truncated: boolean): void {
    this.done = true;
    this.chunks.length = 0;
    this.resolveResult({ headers: parseHeaderBlock(block), truncated });
  }
}

/**
 * The same reading as HeaderReader for a message already whole in memory (a fetched range's
 * buffer), without a stream around it: what the reader would resolve for these bytes.
 */
export function readHeaders(
  message: Uint8Array,
  limitBytes: number = DEFAULT_HEADER_LIMIT_BYTES,
): HeaderReadResult {
  const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const window = bytes.subarray(0, limitBytes);
  const end = headerEnd(window, true);
  if (end !== undefined) return { headers: parseHeaderBlock(window.subarray(0, end)), truncated: false };
  if (bytes.length < limitBytes) return { headers: parseHeaderBlock(bytes), truncated: false };
  return { headers: parseHeaderBlock(window.subarray(0, window.lastIndexOf(LF) + 1)), truncated: true };
}

/**
 * Index in `window` where the header block ends (before its empty line), or undefined. An empty line is LF LF
 * or LF CR LF; a message starting with an empty line has no headers.
 */
function headerEnd(window: Buffer, atMessageStart: boolean): number | undefined {
  if (atMessageStart && (window[0] === LF || (window[0] === CR && window[1] === LF))) return 0;
  for (let i = window.indexOf(LF); i >= 0 && i < window.length - 1; i = window.indexOf(LF, i + 1)) {
    if (window[i + 1] === LF) return i + 1;
    if (window[i + 1] === CR && window[i + 2] === LF) return i + 1;
  }
  return undefined;
}

/** Parses a header block (without its empty line): unfolds, keeps the first of each wanted header. */
export function parseHeaderBlock(block: Buffer): RawHeaders {
  const text = decode(block);
  const headers: RawHeaders = {};
  let current: { name: string; value: string } | undefined;
  const take = () => {
    if (!current) return;
    const key = WANTED[current.name];
    if (key !== undefined && headers[key] === undefined) {
      headers[key] = current.value.trim().slice(0, ARCHIVED_HEADER_LIMITS[key]);
    }
    current = undefined;
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      // Folding (RFC 5322 §2.2.3): the line break goes, the whitespace stays.
      if (current) current.value += line;
      continue;
    }
    take();
    const colon = line.indexOf(':');
    // No colon (an mbox "From " line, garbage): not a header field, skipped with its continuations.
    if (colon <= 0) continue;
    current = { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) };
  }
  take();
  return headers;
}

function decode(block: Buffer): string {
  try {
    return UTF8.decode(block);
  } catch {
    return block.toString('latin1');
  }
}
