import { Transform, type TransformCallback } from 'node:stream';

import { ContractError } from '@mailkeep/contracts';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/**
 * Where the decoder stands between two bytes (RFC 1939 §3):
 * - `line-start`: at the first byte of a line, where a dot is stuffing or the start of the terminator;
 * - `middle`: inside a line;
 * - `after-cr`: a CR was the last byte, an LF next ends the line;
 * - `after-dot`: a line began with a dot, which is held back (dropped unless it starts the terminator);
 * - `after-dot-cr`: a line began with dot, CR, both held back: an LF next is the terminator;
 * - `done`: the terminator was seen.
 */
type State = 'line-start' | 'middle' | 'after-cr' | 'after-dot' | 'after-dot-cr' | 'done';

const HELD_CR = Buffer.from([CR]);

/**
 * The byte-level state machine of a POP3 multi-line response (RFC 1939 §3): removes the stuffing
 * dot from lines that begin with one and finds the terminating `CRLF.CRLF`, wherever the chunks of
 * the socket split them. What it emits is the message exactly as stored: the CRLF that precedes the
 * terminating dot belongs to the content (the server added it if the message lacked it).
 *
 * A line ends with CRLF only. A lone LF (or lone CR) is content: a dot after it is neither stuffing
 * nor the terminator. RFC 1939 requires CRLF line ends, and a server that ends its lines with a
 * bare LF therefore never completes a response: the connection's timeout reports it.
 */
export class MultilineDecoder {
  private state: State = 'line-start';

  get terminated(): boolean {
    return this.state === 'done';
  }

  /**
   * Decodes one chunk, handing the content to `emit` as sub-arrays of `chunk` (no copies). Returns
   * undefined while the response goes on, or the bytes after the terminator once it is complete
   * (empty when the chunk ended with it; anything else is the start of another response).
   */
  decode(chunk: Buffer, emit: (content: Buffer) => void): Buffer | undefined {
    if (this.state === 'done') return chunk;
    let start = 0; // first byte not yet emitted
    let i = 0;
    const flush = (end: number) => {
      if (end > start) emit(chunk.subarray(start, end));
    };
    while (i < chunk.length) {
      switch (this.state) {
        case 'middle': {
          // The fast path: nothing matters until the next CR.
          const cr = chunk.indexOf(CR, i);
          if (cr === -1) {
            i = chunk.length;
          } else {
            i = cr + 1;
            this.state = 'after-cr';
          }
          break;
        }
        case 'after-cr':
          if (chunk[i] === LF) {
            i++;
            this.state = 'line-start';
          } else {
            this.state = 'middle'; // a lone CR: content; look at this byte again
          }
          break;
        case 'line-start':
          if (chunk[i] === DOT) {
            flush(i);
            i++;
            start = i; // the dot is held back
            this.state = 'after-dot';
          } else {
            this.state = 'middle';
          }
          break;
        case 'after-dot':
          if (chunk[i] === CR) {
            i++;
            start = i; // the CR is held back too: dot, CR, LF is the terminator
            this.state = 'after-dot-cr';
          } else {
            // Octets other than CRLF follow the dot: it was stuffing and stays dropped.
            this.state = 'middle';
          }
          break;
        case 'after-dot-cr':
          if (chunk[i] === LF) {
            this.state = 'done';
            return chunk.subarray(i + 1);
          }
          // Dot, CR, then not LF: the dot was stuffing; the held CR is content, then go on.
          emit(HELD_CR);
          start = i;
          this.state = 'middle';
          break;
      }
    }
    flush(chunk.length);
    return undefined;
  }
}

/**
 * A multi-line response as a stream: raw bytes from the server in, the dot-unstuffed content out,
 * ending at the terminator. `onTerminated` receives the bytes that followed the terminator, which
 * belong to the next response. Writing more after the terminator is a protocol error.
 */
export class MultilineReader extends Transform {
  readonly decoder = new MultilineDecoder();

  constructor(
    /** What is being read, for error messages (e.g. `RETR 7`). */
    private readonly what: string,
    private readonly onTerminated: (rest: Buffer) => void = () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.length === 0) {
      callback();
      return;
    }
    if (this.decoder.terminated) {
      callback(protocolError(`The POP3 server sent data after the end of ${this.what}`));
      return;
    }
    const rest = this.decoder.decode(chunk, (content) => this.push(content));
    if (rest !== undefined) {
      this.push(null);
      this.onTerminated(rest);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    callback(
      this.decoder.terminated
        ? null
        : protocolError(`The response to ${this.what} ended before its terminating line`),
    );
  }
}

function protocolError(message: string): ContractError {
  // A server that breaks the framing gives the same bytes on a retry: not retryable.
  return new ContractError('INTERNAL', message, { reason: 'internal' });
}
