import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

import { ContractError } from '@mailkeep/contracts';

import { MultilineReader } from './multiline-reader.js';
import { Pop3ResponseError } from './parse-pop3-error.js';

/**
 * Longest status line accepted. RFC 2449 §4 allows 512 octets; greetings and `-ERR` texts of real
 * servers stay well below, and 8 KiB leaves room for a verbose one while a server that never sends
 * CRLF cannot grow the buffer without bound.
 */
export const MAX_STATUS_LINE_BYTES = 8_192;

const CRLF = Buffer.from('\r\n');

/** A multi-line response being read. */
export interface MultilineResponse {
  /** The text after `+OK` on the status line. */
  readonly status: string;
  /** The dot-unstuffed content; consume it (or destroy it: the rest is then read and dropped). */
  readonly body: MultilineReader;
  /** Resolves once the terminating line has been read and the next command may be sent. */
  readonly complete: Promise<void>;
}

/** One line of the session transcript, without credentials. */
export type TranscriptSink = (line: string) => void;

interface ActiveBody {
  readonly reader: MultilineReader;
  readonly done: () => void;
  readonly fail: (error: Error) => void;
}

/**
 * The command/response layer of one POP3 connection (RFC 1939): one command at a time, status
 * lines, multi-line responses streamed through a MultilineReader with back-pressure (the socket is
 * paused while the consumer is behind). Every wait on the server is bounded by `timeoutMs` of
 * silence; time the consumer spends on its side (storage) does not count. The first failure
 * (timeout, closed connection, socket error) ends the connection and every later call rejects.
 */
export class Pop3Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private lineWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private body: ActiveBody | undefined;
  /** Raw chunks not yet handed to the body (the socket is paused while one is being written). */
  private readonly queue: Buffer[] = [];
  /** The body a chunk is being written to; nothing else moves until it has taken it. */
  private pendingWrite: MultilineReader | undefined;
  private waitingFor: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private closedByUs = false;

  private readonly onData = (chunk: Buffer) => {
    this.queue.push(chunk);
    this.pump();
  };
  private readonly onEnd = () =>
    this.fail(
      new ContractError('UNAVAILABLE', `The POP3 server closed the connection${this.during()}`, {
        reason: 'network',
      }),
    );
  private readonly onClose = () => {
    if (!this.closedByUs) this.onEnd();
  };
  private readonly onError = (error: Error) => this.fail(error);

  constructor(
    private readonly socket: Socket | TLSSocket,
    private readonly timeoutMs: number,
    private readonly transcript: TranscriptSink = () => undefined,
    /** Bytes read before this connection took over the socket (none after a TLS upgrade). */
    initial?: Buffer,
  ) {
    if (initial?.length) this.queue.push(initial);
    socket.on('data', this.onData).on('end', this.onEnd).on('close', this.onClose).on('error', this.onError);
  }

  get secure(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted;
  }

  /** Reads the server's greeting (`+OK …`). */
  async greeting(): Promise<string> {
    const line = await this.readLine('the greeting');
    this.transcript(`S: ${line}`);
    if (line.startsWith('-ERR')) throw new Pop3ResponseError('GREETING', line.slice(4).trim());
    if (!line.startsWith('+OK')) {
      throw new ContractError('INTERNAL', `Unexpected POP3 greeting: ${line.slice(0, 200)}`, {
        reason: 'internal',
      });
    }
    return line.slice(3).trim();
  }

  /**
   * Sends a command and reads its status line; resolves with the text after `+OK`, throws
   * Pop3ResponseError on `-ERR`. `shown` replaces the command in the transcript and in errors, and
   * names it by its first word: a credential must never be in `command`'s first word's place there.
   */
  async command(command: string, shown: string = command): Promise<string> {
    const verb = (shown.split(' ')[0] ?? '').toUpperCase();
    const line = await this.exchange(command, shown, verb);
    if (line.startsWith('+OK')) return line.slice(3).trim();
    if (line.startsWith('-ERR')) throw new Pop3ResponseError(verb, line.slice(4).trim());
    throw new ContractError('INTERNAL', `Unexpected POP3 answer to ${verb}: ${line.slice(0, 200)}`, {
      reason: 'internal',
    });
  }

  /** Sends a line and returns the server's first answer line as it is (for SASL continuations). */
  async exchange(command: string, shown: string, verb: string): Promise<string> {
    this.write(command, shown);
    const line = await this.readLine(`the answer to ${verb}`);
    this.transcript(`S: ${line}`);
    return line;
  }

  /** A command with a multi-line answer (CAPA, UIDL, RETR, …). */
  async multiline(command: string): Promise<MultilineResponse> {
    const status = await this.command(command);
    // No await between the status line and this: the bytes after it are already the body's.
    let done!: () => void;
    let fail!: (error: Error) => void;
    const complete = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
    complete.catch(() => undefined); // a caller that only streams the body sees the error there
    const reader = new MultilineReader(command, (rest) => this.bodyEnded(rest));
    // A failure reaches the consumer through its own listeners and `complete`; without one (between
    // this return and the consumer attaching) an 'error' event must not crash the process.
    reader.on('error', () => undefined);
    // A consumer that gives up (storage failed) must not stall the socket: keep reading to the end.
    reader.once('close', () => {
      if (this.pendingWrite !== reader) return;
      this.pendingWrite = undefined;
      this.pump();
    });
    this.body = { reader, done, fail };
    this.waitingFor = `the response to ${command}`;
    this.queue.unshift(this.buffer);
    this.buffer = Buffer.alloc(0);
    this.pump();
    return { status, body: reader, complete };
  }

  /**
   * Hands the socket over (for the TLS upgrade after STLS). Refuses when the server sent anything
   * after its answer: bytes injected before the handshake must never be read as if protected.
   */
  detach(): Socket | TLSSocket {
    this.assertUsable();
    if (this.buffer.length > 0 || this.queue.length > 0) {
      throw new ContractError('INTERNAL', 'The POP3 server sent data before the TLS handshake', {
        reason: 'internal',
      });
    }
    this.release();
    return this.socket;
  }

  /** Closes the connection without QUIT: the server leaves the maildrop as it was (no UPDATE state). */
  destroy(): void {
    this.closedByUs = true;
    this.fail(new ContractError('UNAVAILABLE', 'The POP3 connection was closed', { reason: 'network' }));
  }

  private write(command: string, shown: string): void {
    this.assertUsable();
    if (this.body)
      throw new Error(`POP3 command sent while ${this.waitingFor ?? 'a response'} is being read`);
    this.transcript(`C: ${shown}`);
    this.socket.write(`${command}\r\n`);
  }

  private async readLine(what: string): Promise<string> {
    this.waitingFor = what;
    for (;;) {
      this.assertUsable();
      const end = this.buffer.indexOf(CRLF);
      if (end >= 0) {
        const line = this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(end + 2);
        this.waitingFor = undefined;
        this.armIdle();
        return line;
      }
      if (this.buffer.length > MAX_STATUS_LINE_BYTES) {
        const error = new ContractError(
          'INTERNAL',
          `The POP3 server sent a line of over ${MAX_STATUS_LINE_BYTES} bytes without CRLF (${what})`,
          { reason: 'internal' },
        );
        this.fail(error);
        throw error;
      }
      this.armIdle();
      await new Promise<void>((resolve, reject) => (this.lineWaiter = { resolve, reject }));
    }
  }

  /** Moves queued chunks on: into the body while one is read, into the line buffer otherwise. */
  private pump(): void {
    if (this.failure) return;
    while (this.queue.length > 0 && this.pendingWrite === undefined) {
      const chunk = this.queue.shift() as Buffer;
      const body = this.body;
      if (!body) {
        this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
        const waiter = this.lineWaiter;
        this.lineWaiter = undefined;
        waiter?.resolve();
        continue;
      }
      if (chunk.length === 0) continue;
      if (body.reader.destroyed) {
        // Nobody reads the content any more: decode only to find the terminator, drop the rest.
        const rest = body.reader.decoder.decode(chunk, () => undefined);
        if (rest !== undefined) this.bodyEnded(rest);
        continue;
      }
      // One chunk at a time, each decoded as it is written (a Transform writes synchronously when
      // nothing is pending); the socket rests until the consumer has taken it.
      const reader = body.reader;
      this.pendingWrite = reader;
      this.socket.pause();
      this.armIdle();
      reader.write(chunk, () => {
        if (this.pendingWrite !== reader) return; // settled already by the reader's close
        this.pendingWrite = undefined;
        this.pump();
      });
    }
    if (this.pendingWrite === undefined && !this.failure) {
      this.socket.resume();
      this.armIdle();
    }
  }

  private bodyEnded(rest: Buffer): void {
    const body = this.body;
    if (!body) return;
    this.body = undefined;
    this.waitingFor = undefined;
    if (rest.length > 0) this.queue.unshift(rest);
    if (!body.reader.destroyed) body.reader.end();
    body.done();
    this.armIdle();
  }

  /** Bounds silence while the server owes us bytes; time our consumer is behind does not count. */
  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.failure || this.waitingFor === undefined || this.pendingWrite) return;
    const what = this.waitingFor;
    this.idleTimer = setTimeout(() => {
      this.fail(
        new ContractError(
          'TIMEOUT',
          `The POP3 server sent nothing for ${this.timeoutMs} ms while waiting for ${what}`,
          {
            reason: 'timeout',
          },
        ),
      );
    }, this.timeoutMs);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    clearTimeout(this.idleTimer);
    this.release();
    this.socket.on('error', () => undefined); // late errors of a destroyed socket
    this.socket.destroy();
    const waiter = this.lineWaiter;
    this.lineWaiter = undefined;
    waiter?.reject(error);
    const body = this.body;
    this.body = undefined;
    if (body) {
      body.fail(error);
      body.reader.destroy(error);
    }
  }

  private release(): void {
    clearTimeout(this.idleTimer);
    this.socket
      .off('data', this.onData)
      .off('end', this.onEnd)
      .off('close', this.onClose)
      .off('error', this.onError);
  }

  private assertUsable(): void {
    if (this.failure) throw this.failure;
  }

  private during(): string {
    return this.waitingFor ? ` while waiting for ${this.waitingFor}` : '';
  }
}
