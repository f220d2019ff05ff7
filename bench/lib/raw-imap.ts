/**
 * The minimal IMAP client of the fetch ceiling: one `UID FETCH 1:* BODY.PEEK[]` per folder, the
 * response parsed as it streams in (literals are hashed chunk by chunk, never assembled), SHA-256
 * of every message. It is what no archiver can beat on this transport, so it is the yardstick.
 * Also used to take the corpus's reference digest (with RFC822.SIZE, to check Dovecot's view).
 */
import { createHash, type Hash } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

import { MASTER_USER_SEPARATOR } from '@mailkeep/testing';

export interface RawFetchTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** PEM to trust (the harness's self-signed certificate). */
  readonly ca?: string;
  readonly user: string;
  readonly password: string;
}

export interface FetchedMessage {
  readonly folder: string;
  readonly uid: number;
  /** Bytes of the literal, i.e. of what the server sent. */
  readonly size: number;
  /** RFC822.SIZE when it was asked for. */
  readonly rfc822Size?: number;
  /** Hex SHA-256 of the literal; empty when hashing is off. */
  readonly sha256: string;
}

interface Pending {
  readonly tag: string;
  resolve(lines: string[]): void;
  reject(error: Error): void;
  readonly untagged: string[];
}

/** One IMAP session over a raw socket with a streaming literal parser. */
export class RawImapSession {
  private tagCounter = 0;
  private current: Pending | undefined;
  private lineParts: Buffer[] = [];
  private literalLeft = 0;
  private literalHash: Hash | undefined;
  private literalHeader = '';
  private literalSize = 0;
  private folder = '';
  private hashing = true;
  private onMessage: (message: FetchedMessage) => void = () => undefined;
  private failure: Error | undefined;
  private greeting: ((line: string) => void) | undefined;

  private readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.consume(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static async open(target: RawFetchTarget): Promise<RawImapSession> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = target.tls
        ? tlsConnect({ host: target.host, port: target.port, ...(target.ca ? { ca: target.ca } : {}) })
        : netConnect(target.port, target.host);
      s.once(target.tls ? 'secureConnect' : 'connect', () => resolve(s));
      s.once('error', reject);
    });
    socket.setNoDelay(true);
    const session = new RawImapSession(socket);
    await new Promise<string>((resolve) => (session.greeting = resolve));
    await session.command(`LOGIN ${quote(target.user)} ${quote(target.password)}`);
    return session;
  }

  /** EXAMINE (read-only: nothing changes on the server); returns EXISTS. */
  async examine(folder: string): Promise<number> {
    const lines = await this.command(`EXAMINE ${quote(folder)}`);
    const exists = lines.map((l) => /^\* (\d+) EXISTS/.exec(l)?.[1]).find((n) => n !== undefined);
    return Number(exists ?? 0);
  }

  /** `UID FETCH 1:* <items>` of the selected folder; each message is reported as its literal ends. */
  async fetchAll(
    folder: string,
    options: { items: string; hash: boolean; onMessage?: (message: FetchedMessage) => void },
  ): Promise<void> {
    this.folder = folder;
    this.hashing = options.hash;
    this.onMessage = options.onMessage ?? (() => undefined);
    await this.command(`UID FETCH 1:* ${options.items}`);
  }

  async logout(): Promise<void> {
    await this.command('LOGOUT').catch(() => undefined);
    this.socket.destroy();
  }

  private command(text: string): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure);
    const tag = `A${++this.tagCounter}`;
    return new Promise<string[]>((resolve, reject) => {
      this.current = { tag, resolve, reject, untagged: [] };
      this.socket.write(`${tag} ${text}\r\n`);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const current = this.current;
    this.current = undefined;
    current?.reject(error);
  }

  private consume(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, chunk.length - pos);
        if (this.hashing) this.literalHash?.update(chunk.subarray(pos, pos + take));
        this.literalLeft -= take;
        pos += take;
        if (this.literalLeft === 0) this.literalDone();
        continue;
      }
      const newline = chunk.indexOf(10, pos);
      if (newline < 0) {
        this.lineParts.push(chunk.subarray(pos));
        return;
      }
      this.lineParts.push(chunk.subarray(pos, newline + 1));
      pos = newline + 1;
      const line = Buffer.concat(this.lineParts)
        .toString('latin1')
        .replace(/\r?\n$/, '');
      this.lineParts = [];
      this.line(line);
    }
  }

  private line(line: string): void {
    if (this.greeting) {
      const greeted = this.greeting;
      this.greeting = undefined;
      greeted(line);
      return;
    }
    const literal = /\{(\d+)\}$/.exec(line);
    if (literal) {
      this.literalHeader = line;
      this.literalSize = Number(literal[1]);
      this.literalLeft = this.literalSize;
      this.literalHash = this.hashing ? createHash('sha256') : undefined;
      if (this.literalLeft === 0) this.literalDone();
      return;
    }
    const current = this.current;
    if (!current) return;
    if (line.startsWith(`${current.tag} `)) {
      this.current = undefined;
      if (/^\S+ OK/.test(line)) current.resolve(current.untagged);
      else current.reject(new Error(`IMAP: ${line}`));
    } else if (line.startsWith('* ')) {
      current.untagged.push(line);
    }
  }

  private literalDone(): void {
    const header = this.literalHeader;
    const size = /RFC822\.SIZE (\d+)/.exec(header)?.[1];
    this.onMessage({
      folder: this.folder,
      uid: Number(/UID (\d+)/.exec(header)?.[1] ?? NaN),
      size: this.literalSize,
      ...(size === undefined ? {} : { rfc822Size: Number(size) }),
      sha256: this.literalHash?.digest('hex') ?? '',
    });
    this.literalHash = undefined;
  }
}

/** An IMAP quoted string (the corpus's names and passwords need no literal). */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export interface MailboxTarget {
  readonly user: string;
  readonly folders: readonly string[];
}

/**
 * Fetches every folder of every mailbox, `connections` sessions at a time (one session per
 * mailbox, logged in as the master user for it), and returns messages and bytes.
 */
export async function fetchMailboxes(input: {
  readonly server: Omit<RawFetchTarget, 'user' | 'password'>;
  readonly masterUser: { readonly name: string; readonly password: string };
  readonly mailboxes: readonly MailboxTarget[];
  readonly connections: number;
  readonly hash: boolean;
  readonly items?: string;
  readonly onMessage?: (user: string, message: FetchedMessage) => void;
}): Promise<{ messages: number; bytes: number }> {
  let messages = 0;
  let bytes = 0;
  const queue = [...input.mailboxes];
  const worker = async () => {
    for (let box = queue.shift(); box; box = queue.shift()) {
      const session = await RawImapSession.open({
        ...input.server,
        user: `${box.user}${MASTER_USER_SEPARATOR}${input.masterUser.name}`,
        password: input.masterUser.password,
      });
      try {
        for (const folder of box.folders) {
          await session.examine(folder);
          const user = box.user;
          await session.fetchAll(folder, {
            items: input.items ?? 'BODY.PEEK[]',
            hash: input.hash,
            onMessage: (message) => {
              messages += 1;
              bytes += message.size;
              input.onMessage?.(user, message);
            },
          });
        }
      } finally {
        await session.logout();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.connections) }, worker));
  return { messages, bytes };
}
