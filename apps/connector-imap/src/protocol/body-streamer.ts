import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { type ConnectionOptions, connect as connectTls, type TLSSocket } from 'node:tls';

import { ContractError } from '@mailkeep/contracts';
import type { Egress } from '@mailkeep/egress';

import type { ImapLogin, ImapServerSettings } from './imap-settings.js';
import { quotable, quoted } from './mailbox-name.js';

const CRLF = Buffer.from('\r\n');
/** A response line longer than this (without its literals) is not IMAP any more. */
const MAX_LINE_BYTES = 64 * 1024;
/**
 * Bytes of a body buffered before the socket is paused: a few socket reads, so the socket is not
 * paused and resumed for every chunk, and still a bounded amount per message (C3).
 */
const BODY_BUFFER_BYTES = 256 * 1024;
/** `{n}` at the end of a line: n bytes of literal follow. */
const LITERAL_AT_END = /\{(\d+)\}$/;

/**
 * A second, minimal IMAP connection of a task that streams large messages whole: one
 * `UID FETCH <uid> BODY.PEEK[]` per message, its literal pushed into a Readable as it arrives, the
 * socket paused while the consumer (the blob store) is behind. imapflow's `download()` instead
 * asks for 1 MiB partial fetches, one round trip each, and parses every byte in JavaScript: on the
 * size mix that cost the worker ~6 ms of CPU per MB and Dovecot about half again its work
 * (docs/benchmarks/analysis.md).
 *
 * It speaks only what that needs: greeting, STARTTLS (`imap-tls`), SASL PLAIN (with the
 * authorization identity of multiple mode), EXAMINE (the name's listed bytes) and UID FETCH.
 * Anything it cannot do is the caller's cue to use imapflow instead (`open` or `examine` rejects,
 * or `examine` names another UIDVALIDITY than the session's). One command at a time: a fetch
 * waits until the previous answer is complete, i.e. until its body was consumed.
 */
export class BodyStreamer {
  private buffer: Buffer = Buffer.alloc(0);
  /** The response being read: its text so far, and where its current literal goes. */
  private response = '';
  private literal: { remaining: number; into: Readable | undefined } | undefined;
  private waiting:
    { tag: string; resolve: (text: string) => void; reject: (error: Error) => void } | undefined;
  private continuation: ((line: string) => void) | undefined;
  private untagged: string[] = [];
  private body: { uid: number; stream: Readable } | undefined;
  private tags = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  /** The folder this connection has open (its listed bytes), and its UIDVALIDITY. */
  private selected: { name: Buffer; uidValidity: number | undefined } | undefined;
  /** Called when the awaited body's literal begins. */
  private bodyStarted: (() => void) | undefined;

  private constructor(
    private socket: Socket | TLSSocket,
    private readonly settings: ImapServerSettings,
  ) {
    this.attach(socket);
  }

  /** Connects, secures and logs in like the task's imapflow session; rejects when it cannot. */
  static async open(settings: ImapServerSettings, login: ImapLogin, egress: Egress): Promise<BodyStreamer> {
    const target = await egress.resolve(settings.host, settings.port, settings.timeoutMs);
    const tls = { rejectUnauthorized: !settings.ignoreTlsCertificateErrors };
    const socket = await egress.open(target, {
      timeoutMs: settings.timeoutMs,
      ...(settings.protocol === 'imap-ssl' && { tls }),
    });
    const streamer = new BodyStreamer(socket, settings);
    try {
      const greeting = await streamer.expectGreeting();
      if (!greeting.startsWith('* OK')) throw new Error(`IMAP greeting refused: ${greeting}`);
      // STARTTLS goes to the same checked address, the certificate checked against the host name.
      if (settings.protocol === 'imap-tls') await streamer.startTls({ ...tls, ...egress.tlsTarget(target) });
      await streamer.authenticate(login);
      return streamer;
    } catch (error) {
      streamer.close();
      throw error;
    }
  }

  /** False once the connection failed or was closed. */
  get usable(): boolean {
    return this.failure === undefined;
  }

  /** What ended the connection (timeout, reset, the server closing it), if something did. */
  get connectionError(): Error | undefined {
    return this.failure;
  }

  /**
   * Opens the folder read-only by the bytes the server listed it with (a quoted string, or a
   * literal when RFC 3501 asks for one); its UIDVALIDITY, or undefined when the server named
   * none. Rejects when the server refuses the folder.
   */
  async examine(name: Buffer): Promise<number | undefined> {
    if (!this.selected?.name.equals(name)) {
      this.selected = undefined;
      const untagged = quotable(name)
        ? await this.run(`EXAMINE ${quoted(name)}`)
        : await this.runWithLiteral(`EXAMINE {${name.length}}`, name, 'EXAMINE');
      const uidValidity = untagged.map((line) => /\[UIDVALIDITY (\d+)\]/i.exec(line)?.[1]).find(Boolean);
      this.selected = { name, uidValidity: uidValidity === undefined ? undefined : Number(uidValidity) };
    }
    return this.selected.uidValidity;
  }

  /**
   * The message's bytes as the server sends them, or undefined when the server returned no body
   * (expunged meanwhile). Resolves as soon as the body starts; the stream errors when the
   * connection fails before its end.
   */
  stream(uid: number): Promise<Readable | undefined> {
    return new Promise<Readable | undefined>((resolveStart, rejectStart) => {
      const stream = new Readable({ highWaterMark: BODY_BUFFER_BYTES, read: () => this.socket.resume() });
      // A consumer that gives up (storage failed) must not stall the connection: the rest of the
      // literal is then read and dropped.
      stream.once('close', () => {
        if (this.literal?.into === stream) this.literal.into = undefined;
        this.socket.resume();
      });
      let started = false;
      // Set when the command goes out, not before: an earlier command may still be answering.
      const sent = () => {
        this.body = { uid, stream };
        this.bodyStarted = () => {
          started = true;
          resolveStart(stream);
        };
      };
      const finish = () => {
        this.bodyStarted = undefined;
        this.body = undefined;
      };
      this.run(`UID FETCH ${uid} BODY.PEEK[]`, `UID FETCH ${uid}`, sent).then(
        () => {
          finish();
          if (started) stream.push(null);
          else resolveStart(undefined); // no body in the answer: expunged meanwhile
        },
        (error: Error) => {
          finish();
          if (started) stream.destroy(error);
          else rejectStart(error);
        },
      );
    });
  }

  /** LOGOUT is not worth a round trip for a read-only connection: the server drops it. */
  close(): void {
    this.fail(new ContractError('UNAVAILABLE', 'The IMAP body connection was closed', { reason: 'network' }));
    this.socket.destroy();
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setTimeout(this.settings.timeoutMs, () =>
      socket.destroy(
        new ContractError(
          'TIMEOUT',
          `No answer from ${this.settings.host} within ${this.settings.timeoutMs} ms`,
          {
            reason: 'timeout',
          },
        ),
      ),
    );
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error: Error) => this.fail(error));
    socket.on('close', () =>
      this.fail(
        new ContractError('UNAVAILABLE', `${this.settings.host} closed the connection`, {
          reason: 'network',
        }),
      ),
    );
  }

  private detach(): Socket | TLSSocket {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
    this.socket.setTimeout(0);
    return this.socket;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }

  private expectGreeting(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting = { tag: '*', resolve, reject };
    });
  }

  private async startTls(options: ConnectionOptions): Promise<void> {
    await this.run('STARTTLS');
    // Nothing may follow the OK before the handshake: bytes injected there are not protected.
    if (this.buffer.length > 0) throw new Error('The IMAP server sent data before the TLS handshake');
    const plain = this.detach();
    const secured = connectTls({ socket: plain, ...options });
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', resolve);
      secured.once('error', reject);
    });
    this.socket = secured;
    this.attach(secured);
  }

  /** SASL PLAIN (RFC 4616): authorization identity, user, password; answered after the `+`. */
  private async authenticate(login: ImapLogin): Promise<void> {
    const message = Buffer.from(`${login.authorizeAs ?? ''}\0${login.user}\0${login.password}`, 'utf8');
    const continued = new Promise<void>((resolve) => {
      this.continuation = () => {
        this.continuation = undefined;
        this.socket.write(Buffer.concat([Buffer.from(message.toString('base64')), CRLF]));
        resolve();
      };
    });
    const done = this.run('AUTHENTICATE PLAIN', 'AUTHENTICATE PLAIN');
    await Promise.race([continued, done]);
    await done;
  }

  /**
   * A command ending in a synchronizing literal (`{n}`): its bytes go out once the server's `+`
   * says it takes them, then the line's CRLF.
   */
  private runWithLiteral(line: string, literal: Buffer, shown: string): Promise<string[]> {
    return this.run(line, shown, () => {
      this.continuation = () => {
        this.continuation = undefined;
        this.socket.write(Buffer.concat([literal, CRLF]));
      };
    });
  }

  /** Sends one command after the previous one finished; resolves with its untagged lines. */
  private run(command: string, shown = command, beforeSend?: () => void): Promise<string[]> {
    const result = this.queue.then(
      () =>
        new Promise<string[]>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          const tag = `B${++this.tags}`;
          this.untagged = [];
          this.waiting = {
            tag,
            resolve: (text) => {
              if (/^OK\b/i.test(text)) return resolve(this.untagged);
              reject(new Error(`IMAP ${shown} failed: ${text}`));
            },
            reject,
          };
          beforeSend?.();
          this.socket.write(`${tag} ${command}\r\n`);
        }),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The reader: lines, literals inside them, the body's literal into its stream. */
  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length > 0 && !this.failure) {
      if (this.literal) {
        const take = Math.min(this.literal.remaining, this.buffer.length);
        const bytes = this.buffer.subarray(0, take);
        this.buffer = this.buffer.subarray(take);
        this.literal.remaining -= take;
        if (this.literal.into && !this.literal.into.push(bytes)) this.socket.pause();
        if (this.literal.remaining === 0) this.literal = undefined;
        continue;
      }
      const end = this.buffer.indexOf(CRLF);
      if (end < 0) {
        if (this.buffer.length > MAX_LINE_BYTES)
          this.socket.destroy(new Error('IMAP response line too long'));
        return;
      }
      const line = this.buffer.subarray(0, end).toString('latin1');
      this.buffer = this.buffer.subarray(end + 2);
      this.response += line;
      const literal = LITERAL_AT_END.exec(line);
      if (literal) {
        this.literal = { remaining: Number(literal[1]), into: this.bodyTarget() };
        if (this.literal.into) this.bodyStarted?.();
        if (this.literal.remaining === 0) this.literal = undefined;
        continue;
      }
      const response = this.response;
      this.response = '';
      this.handle(response);
    }
  }

  /** The body's stream when the response so far is the FETCH of the awaited message's BODY[]. */
  private bodyTarget(): Readable | undefined {
    if (!this.body || !/^\* \d+ FETCH \(/i.test(this.response)) return undefined;
    if (!/BODY\[\] \{\d+\}$/i.test(this.response)) return undefined;
    const uid = /\bUID (\d+)/i.exec(this.response)?.[1];
    if (uid !== undefined && Number(uid) !== this.body.uid) return undefined;
    const { stream } = this.body;
    this.body = undefined; // one body per command
    return stream;
  }

  private handle(response: string): void {
    if (response.startsWith('+')) return this.continuation?.(response);
    const waiting = this.waiting;
    if (response.startsWith('* ')) {
      if (waiting?.tag === '*') {
        this.waiting = undefined;
        return waiting.resolve(response);
      }
      this.untagged.push(response);
      return;
    }
    if (waiting && response.startsWith(`${waiting.tag} `)) {
      this.waiting = undefined;
      waiting.resolve(response.slice(waiting.tag.length + 1));
    }
  }
}
