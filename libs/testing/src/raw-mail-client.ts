import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/**
 * Minimal IMAP and POP3 clients over raw sockets, for tests only: they let a test (and the Dovecot
 * harness) see exactly the bytes the server sends, without a client library in between. They speak
 * just enough protocol to log in, list, select and fetch; they are not a connector.
 */

/** How the connection is secured: none, TLS from the first byte, or STARTTLS/STLS after the greeting. */
export type RawTlsMode = 'none' | 'implicit' | 'starttls';

export interface RawConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: RawTlsMode;
  /** PEM certificate(s) to trust; without it Node's default CAs are used (and a self-signed one fails). */
  readonly ca?: string;
  /** TLS server name for SNI and hostname checks; defaults to `host`. */
  readonly servername?: string;
  /**
   * Deadline for each single read (greeting, a response, a literal). Fifteen seconds is far above
   * what a local Dovecot needs even for a 20 MB literal, yet fails a hung test long before vitest does.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const CRLF = Buffer.from('\r\n');

/** Buffers what a socket delivers and hands it out as lines or exact byte counts. */
class SocketReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.notify();
  };
  private readonly onEnd = (): void => {
    this.failure ??= new Error('connection closed by the server');
    this.notify();
  };
  private readonly onError = (err: Error): void => {
    this.failure = err;
    this.notify();
  };

  constructor(
    public socket: Socket | TLSSocket,
    private readonly timeoutMs: number,
  ) {
    this.attach(socket);
  }

  /** Moves reading onto a new socket (the TLS socket wrapping the old one after STARTTLS). */
  switchTo(socket: TLSSocket): void {
    if (this.length > 0) throw new Error('server sent data before the TLS handshake');
    this.socket.off('data', this.onData).off('end', this.onEnd).off('error', this.onError);
    this.socket = socket;
    this.attach(socket);
  }

  async readLine(): Promise<Buffer> {
    for (;;) {
      const joined = this.joined();
      const end = joined.indexOf(CRLF);
      if (end >= 0) return this.take(end + 2).subarray(0, end);
      await this.more('a line');
    }
  }

  async readBytes(count: number): Promise<Buffer> {
    while (this.length < count) await this.more(`${count} bytes`);
    return this.take(count);
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', this.onData).on('end', this.onEnd).on('error', this.onError);
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(count: number): Buffer {
    const all = this.joined();
    const taken = all.subarray(0, count);
    const rest = all.subarray(count);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return taken;
  }

  private async more(what: string): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        reject(new Error(`timed out after ${this.timeoutMs} ms waiting for ${what}`));
      }, this.timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
    // (TypeScript keeps the narrowing from before the await; the callbacks may have set it since.)
    const failure = this.failure as Error | undefined;
    if (failure && this.length === 0) throw failure;
  }

  private notify(): void {
    this.wake?.();
  }
}

async function openSocket(options: RawConnectOptions): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket =
      options.tls === 'implicit'
        ? tlsConnect({
            host: options.host,
            port: options.port,
            ...(options.ca === undefined ? {} : { ca: options.ca }),
            servername: options.servername ?? serverName(options.host),
          })
        : netConnect(options.port, options.host);
    const ready = options.tls === 'implicit' ? 'secureConnect' : 'connect';
    socket.once(ready, () => {
      socket.off('error', reject);
      socket.setTimeout(0); // reads have their own deadline from here on
      resolve(socket);
    });
    socket.once('error', reject);
    socket.setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, () =>
      socket.destroy(new Error(`connect to ${options.host}:${options.port} timed out`)),
    );
  });
}

/** SNI must not be an IP address; Node still checks the certificate's IP SAN against `host`. */
function serverName(host: string): string | undefined {
  return /^[\d.]+$|:/.test(host) ? undefined : host;
}

async function upgrade(reader: SocketReader, options: RawConnectOptions): Promise<void> {
  const plain = reader.socket;
  const secure = await new Promise<TLSSocket>((resolve, reject) => {
    const socket = tlsConnect({
      socket: plain,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      servername: options.servername ?? serverName(options.host),
      host: options.host,
    });
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
  reader.switchTo(secure);
}

// ---------------------------------------------------------------------------------------------
// IMAP

/** One server line; literals (`{n}` / `~{n}`) are cut out of `text` and kept as bytes in order. */
export interface ImapLine {
  readonly text: string;
  readonly literals: readonly Buffer[];
}

export interface ImapResponse {
  readonly status: 'OK' | 'NO' | 'BAD';
  /** The tagged line's text after the status. */
  readonly text: string;
  readonly untagged: readonly ImapLine[];
}

export class ImapCommandError extends Error {
  override readonly name = 'ImapCommandError';
  constructor(
    readonly command: string,
    readonly response: ImapResponse,
  ) {
    super(`IMAP ${command.split(' ')[0]} failed: ${response.status} ${response.text}`);
  }
}

export interface ImapSelectResult {
  readonly exists: number;
  readonly uidValidity: number;
  readonly uidNext: number;
}

export class RawImapClient {
  private tagCounter = 0;

  private constructor(
    private readonly reader: SocketReader,
    /** The server's greeting line (`* OK [CAPABILITY …] …`). */
    readonly greeting: string,
  ) {}

  static async connect(options: RawConnectOptions): Promise<RawImapClient> {
    const reader = new SocketReader(await openSocket(options), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const greeting = (await readImapLine(reader)).text;
    if (!greeting.startsWith('* OK')) throw new Error(`unexpected IMAP greeting: ${greeting}`);
    const client = new RawImapClient(reader, greeting);
    if (options.tls === 'starttls') {
      await client.command('STARTTLS');
      await upgrade(reader, options);
    }
    return client;
  }

  /** Whether the connection is TLS now (implicit or after STARTTLS). */
  get encrypted(): boolean {
    return 'encrypted' in this.reader.socket && this.reader.socket.encrypted;
  }

  /** Sends `<tag> <command>` and reads until the tagged reply; throws unless it is OK. */
  async command(command: string): Promise<ImapResponse> {
    const response = await this.send(command);
    if (response.status !== 'OK') throw new ImapCommandError(command, response);
    return response;
  }

  /** Like `command` but returns NO/BAD replies instead of throwing. */
  async send(command: string): Promise<ImapResponse> {
    const tag = `a${++this.tagCounter}`;
    this.reader.socket.write(`${tag} ${command}\r\n`);
    const untagged: ImapLine[] = [];
    for (;;) {
      const line = await readImapLine(this.reader);
      if (line.text.startsWith(`${tag} `)) {
        const match = /^\S+ (OK|NO|BAD) ?(.*)$/.exec(line.text);
        if (!match) throw new Error(`malformed tagged reply: ${line.text}`);
        return { status: match[1] as ImapResponse['status'], text: match[2] ?? '', untagged };
      }
      untagged.push(line);
    }
  }

  async capabilities(): Promise<string[]> {
    const response = await this.command('CAPABILITY');
    const line = response.untagged.find((l) => l.text.startsWith('* CAPABILITY '));
    return line ? line.text.slice('* CAPABILITY '.length).split(' ') : [];
  }

  async login(user: string, password: string): Promise<void> {
    await this.command(`LOGIN ${imapQuote(user)} ${imapQuote(password)}`);
  }

  /** SASL PLAIN with an initial response (SASL-IR); `authzid` empty means "as myself". */
  async authenticatePlain(authzid: string, authcid: string, password: string): Promise<void> {
    await this.command(`AUTHENTICATE PLAIN ${saslPlain(authzid, authcid, password)}`);
  }

  /** `LIST "" "*"`: mailbox names as sent on the wire (modified UTF-7), with their attributes. */
  async list(): Promise<{ name: string; attributes: string[] }[]> {
    const response = await this.command('LIST "" "*"');
    return response.untagged
      .map((line) => /^\* LIST \(([^)]*)\) (?:"[^"]*"|NIL) (.*)$/.exec(line.text))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({
        attributes: (m[1] ?? '').split(' ').filter(Boolean),
        name: imapUnquote(m[2] ?? ''),
      }));
  }

  /** SELECT (or EXAMINE when `readOnly`) a mailbox given by its decoded (UTF-8) name. */
  async select(mailbox: string, readOnly = false): Promise<ImapSelectResult> {
    const response = await this.command(
      `${readOnly ? 'EXAMINE' : 'SELECT'} ${imapQuote(encodeImapUtf7(mailbox))}`,
    );
    const find = (re: RegExp): number => {
      for (const line of response.untagged) {
        const m = re.exec(line.text);
        if (m) return Number(m[1]);
      }
      return Number.NaN;
    };
    return {
      exists: find(/^\* (\d+) EXISTS/),
      uidValidity: find(/\[UIDVALIDITY (\d+)\]/),
      uidNext: find(/\[UIDNEXT (\d+)\]/),
    };
  }

  /** `UID FETCH 1:* (UID RFC822.SIZE)` of the selected mailbox. */
  async uidSizes(): Promise<{ uid: number; size: number }[]> {
    const response = await this.command('UID FETCH 1:* (UID RFC822.SIZE)');
    return response.untagged
      .map((line) => ({
        uid: /\bUID (\d+)/.exec(line.text)?.[1],
        size: /\bRFC822\.SIZE (\d+)/.exec(line.text)?.[1],
      }))
      .filter((m) => m.uid !== undefined && m.size !== undefined)
      .map((m) => ({ uid: Number(m.uid), size: Number(m.size) }));
  }

  /** The raw message as the server sends it for `UID FETCH <uid> BODY.PEEK[]` (does not set \Seen). */
  async fetchRaw(uid: number): Promise<Buffer> {
    const response = await this.command(`UID FETCH ${uid} (UID BODY.PEEK[])`);
    const line = response.untagged.find(
      (l) => new RegExp(`\\bUID ${uid}\\b`).test(l.text) && l.literals.length > 0,
    );
    const literal = line?.literals[0];
    if (!literal) throw new Error(`UID ${uid} not found`);
    return literal;
  }

  async logout(): Promise<void> {
    await this.send('LOGOUT').catch(() => undefined);
    this.close();
  }

  close(): void {
    this.reader.socket.destroy();
  }
}

async function readImapLine(reader: SocketReader): Promise<ImapLine> {
  let text = '';
  const literals: Buffer[] = [];
  for (;;) {
    const part = (await reader.readLine()).toString('utf8');
    const literal = /~?\{(\d+)\+?\}$/.exec(part);
    if (!literal) return { text: text + part, literals };
    text += part.slice(0, literal.index) + `{literal${literals.length}}`;
    literals.push(await reader.readBytes(Number(literal[1])));
  }
}

/** IMAP quoted string (RFC 3501): backslash and double quote escaped. */
export function imapQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function imapUnquote(value: string): string {
  return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

function saslPlain(authzid: string, authcid: string, password: string): string {
  return Buffer.from(`${authzid}\0${authcid}\0${password}`, 'utf8').toString('base64');
}

/**
 * Modified UTF-7 (RFC 3501 §5.1.3), how IMAP spells mailbox names: printable ASCII as is except `&`,
 * which becomes `&-`; everything else UTF-16BE in base64 with `,` for `/`, between `&` and `-`.
 */
export function encodeImapUtf7(name: string): string {
  let out = '';
  let pending = '';
  const flush = (): void => {
    if (!pending) return;
    const utf16 = Buffer.alloc(pending.length * 2);
    for (let i = 0; i < pending.length; i++) utf16.writeUInt16BE(pending.charCodeAt(i), i * 2);
    out += `&${utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
    pending = '';
  };
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0x20 && code <= 0x7e) {
      flush();
      out += char === '&' ? '&-' : char;
    } else {
      pending += char;
    }
  }
  flush();
  return out;
}

/** The inverse of `encodeImapUtf7`. */
export function decodeImapUtf7(name: string): string {
  return name.replace(/&([^-]*)-/g, (_, encoded: string) => {
    if (encoded === '') return '&';
    const bytes = Buffer.from(encoded.replace(/,/g, '/'), 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i));
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// POP3

export class Pop3CommandError extends Error {
  override readonly name = 'Pop3CommandError';
}

export class RawPop3Client {
  private constructor(
    private readonly reader: SocketReader,
    /** The server's `+OK …` greeting. */
    readonly greeting: string,
  ) {}

  /** `tls: 'starttls'` means STLS (RFC 2595) after the greeting. */
  static async connect(options: RawConnectOptions): Promise<RawPop3Client> {
    const reader = new SocketReader(await openSocket(options), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const greeting = (await reader.readLine()).toString('utf8');
    if (!greeting.startsWith('+OK')) throw new Error(`unexpected POP3 greeting: ${greeting}`);
    const client = new RawPop3Client(reader, greeting);
    if (options.tls === 'starttls') {
      await client.command('STLS');
      await upgrade(reader, options);
    }
    return client;
  }

  get encrypted(): boolean {
    return 'encrypted' in this.reader.socket && this.reader.socket.encrypted;
  }

  /** A single-line command; resolves with the text after `+OK`, throws on `-ERR`. */
  async command(command: string): Promise<string> {
    this.reader.socket.write(`${command}\r\n`);
    const line = (await this.reader.readLine()).toString('utf8');
    if (!line.startsWith('+OK')) throw new Pop3CommandError(`POP3 ${command.split(' ')[0]} failed: ${line}`);
    return line.slice(3).trim();
  }

  /**
   * A multi-line command (RFC 1939 §3): the body up to the `.` line, dot-unstuffed, every line with
   * its CRLF — for RETR that is the message exactly as stored, final CRLF included.
   */
  async multiline(command: string): Promise<Buffer> {
    await this.command(command);
    const lines: Buffer[] = [];
    for (;;) {
      const line = await this.reader.readLine();
      if (line.length === 1 && line[0] === 0x2e) return Buffer.concat(lines);
      lines.push(line[0] === 0x2e ? line.subarray(1) : line, CRLF);
    }
  }

  async capa(): Promise<string[]> {
    return (await this.multiline('CAPA')).toString('utf8').split('\r\n').filter(Boolean);
  }

  async login(user: string, password: string): Promise<void> {
    await this.command(`USER ${user}`);
    await this.command(`PASS ${password}`);
  }

  /** `AUTH PLAIN` with an initial response; `authzid` is the user to act as (master users). */
  async authenticatePlain(authzid: string, authcid: string, password: string): Promise<void> {
    await this.command(`AUTH PLAIN ${saslPlain(authzid, authcid, password)}`);
  }

  async uidl(): Promise<{ number: number; uidl: string }[]> {
    return (await this.multiline('UIDL'))
      .toString('utf8')
      .split('\r\n')
      .filter(Boolean)
      .map((line) => {
        const [number, uidl] = line.split(' ');
        return { number: Number(number), uidl: uidl ?? '' };
      });
  }

  async retr(number: number): Promise<Buffer> {
    return this.multiline(`RETR ${number}`);
  }

  async quit(): Promise<void> {
    await this.command('QUIT').catch(() => undefined);
    this.close();
  }

  close(): void {
    this.reader.socket.destroy();
  }
}
