import { createServer as createPlainServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';

import { testCertificateAuthority } from '../test-ca.js';
import { argumentBytes, encodeString, readCommand, type Token, tokenize } from './wire.js';

/**
 * A scripted IMAP4rev1 server for what Dovecot will not do: list and open mailbox names that are
 * not canonical modified UTF-7 (`&AGE-`, `&ZZZ`, `bad&-x&`), names holding another level's
 * delimiter, names that are not UTF-8 at all. Names are bytes end to end: LIST sends each one
 * as RFC 3501 allows (quoted, or a literal when it has 8-bit bytes), SELECT / EXAMINE / STATUS
 * find a folder only by exactly the bytes it was listed with, and every command line the client
 * sent is recorded byte for byte (`commands`), literals included, so a test can assert what a
 * client really put on the wire.
 *
 * It speaks: CAPABILITY, NOOP, LOGIN, AUTHENTICATE PLAIN, STARTTLS, LIST (with
 * `RETURN (STATUS (...))`, RFC 5819, unless `listStatus` is off), STATUS, SELECT / EXAMINE,
 * UID FETCH / FETCH of UID, FLAGS, RFC822.SIZE, BODY[] / BODY.PEEK[] (whole or `<offset.size>`),
 * CLOSE, UNSELECT, LOGOUT. Messages are read-only (no STORE / EXPUNGE; SELECT answers
 * READ-ONLY), and LIST knows only `*` / `%` (both list every folder) or one exact name: enough
 * for an archiver.
 */
export interface ImapFakeFolder {
  /** The name's bytes as the server lists them; a string stands for its UTF-8 bytes. */
  readonly name: Buffer | string;
  /** LIST attributes, e.g. `\HasNoChildren`, `\Sent`, `\Noselect`. */
  readonly attributes?: readonly string[];
  readonly uidValidity?: number;
  /** Message sources; UIDs 1, 2, 3, … in this order. */
  readonly messages?: readonly Buffer[];
}

export interface StartImapFakeOptions {
  readonly user: string;
  readonly password: string;
  readonly folders: readonly ImapFakeFolder[];
  /** The hierarchy delimiter LIST reports; null for a flat server. Default `.`. */
  readonly delimiter?: string | null;
  /** Implicit TLS (with the test CA's certificate) instead of plaintext with STARTTLS. */
  readonly tls?: boolean;
  /** Advertise LIST-STATUS (RFC 5819). Default true. */
  readonly listStatus?: boolean;
}

export interface RunningImapFake {
  readonly host: string;
  readonly port: number;
  /** `host:port` for MAILKEEP_EGRESS_ALLOW / EgressPolicy.fromEntries. */
  readonly egressAllowance: string;
  /** Every command received, in order, from its tag to before its final CRLF, literals included. */
  readonly commands: readonly Buffer[];
  /** The mailbox argument of every SELECT / EXAMINE / STATUS received, as bytes. */
  namesSent(command: 'SELECT' | 'EXAMINE' | 'STATUS'): Buffer[];
  stop(): Promise<void>;
}

const FLAGS = '(\\Answered \\Flagged \\Deleted \\Seen \\Draft)';

interface Folder {
  readonly name: Buffer;
  readonly attributes: readonly string[];
  readonly uidValidity: number;
  readonly messages: readonly Buffer[];
}

interface Session {
  socket: Socket;
  buffer: Buffer;
  acknowledged: number;
  authenticated: boolean;
  selected: Folder | undefined;
  /** AUTHENTICATE PLAIN waits for the client's response line. */
  saslTag: string | undefined;
}

export async function startImapFake(options: StartImapFakeOptions): Promise<RunningImapFake> {
  const folders: Folder[] = options.folders.map((folder, index) => ({
    name: typeof folder.name === 'string' ? Buffer.from(folder.name) : folder.name,
    attributes: folder.attributes ?? [],
    uidValidity: folder.uidValidity ?? 1000 + index,
    messages: folder.messages ?? [],
  }));
  const delimiter = options.delimiter === undefined ? '.' : options.delimiter;
  const listStatus = options.listStatus ?? true;
  const commands: Buffer[] = [];
  const sockets = new Set<Socket>();
  const authority = testCertificateAuthority();
  const credentials = { cert: authority.serverCertificatePem, key: authority.serverKeyPem };

  const capabilities = (session: Session) =>
    [
      'IMAP4rev1',
      'AUTH=PLAIN',
      ...(options.tls || session.socket instanceof TLSSocket ? [] : ['STARTTLS']),
      ...(listStatus ? ['LIST-EXTENDED', 'LIST-STATUS'] : []),
    ].join(' ');

  const find = (name: Buffer | undefined) => (name ? folders.find((f) => f.name.equals(name)) : undefined);

  const write = (session: Session, ...parts: (string | Buffer)[]) => {
    if (!session.socket.destroyed) session.socket.write(Buffer.concat(parts.map((p) => Buffer.from(p))));
  };

  const statusItems = (folder: Folder, items: readonly Token[]): Buffer => {
    const values: string[] = [];
    for (const item of items) {
      const name = item.kind === 'atom' ? item.text.toUpperCase() : '';
      if (name === 'MESSAGES') values.push(`MESSAGES ${folder.messages.length}`);
      else if (name === 'UIDNEXT') values.push(`UIDNEXT ${folder.messages.length + 1}`);
      else if (name === 'UIDVALIDITY') values.push(`UIDVALIDITY ${folder.uidValidity}`);
      else if (name === 'UNSEEN') values.push(`UNSEEN ${folder.messages.length}`);
      else if (name === 'RECENT') values.push('RECENT 0');
    }
    return Buffer.concat([
      Buffer.from('* STATUS '),
      encodeString(folder.name),
      Buffer.from(` (${values.join(' ')})\r\n`),
    ]);
  };

  const list = (session: Session, tag: string, args: Token[]) => {
    // LIST [(selection options)] reference pattern [RETURN (options)]
    const rest = args[0]?.kind === 'list' ? args.slice(1) : args;
    const pattern = argumentBytes(rest[1]);
    if (!pattern) return write(session, `${tag} BAD LIST needs a reference and a pattern\r\n`);
    const returned =
      rest[2]?.kind === 'atom' && rest[2].text.toUpperCase() === 'RETURN' ? rest[3] : undefined;
    const returnItems = returned?.kind === 'list' ? returned.items : [];
    const statusAt = returnItems.findIndex((t) => t.kind === 'atom' && t.text.toUpperCase() === 'STATUS');
    const status = statusAt >= 0 ? returnItems[statusAt + 1] : undefined;
    if (status && !listStatus) return write(session, `${tag} BAD LIST-STATUS is not supported\r\n`);
    const shownDelimiter = delimiter === null ? 'NIL' : `"${delimiter.replace(/["\\]/g, (c) => `\\${c}`)}"`;
    if (pattern.length === 0) {
      write(session, `* LIST (\\Noselect) ${shownDelimiter} ""\r\n`);
      return write(session, `${tag} OK LIST completed\r\n`);
    }
    const all = pattern.equals(Buffer.from('*')) || pattern.equals(Buffer.from('%'));
    for (const folder of folders) {
      if (!all && !folder.name.equals(pattern)) continue;
      write(
        session,
        `* LIST (${folder.attributes.join(' ')}) ${shownDelimiter} `,
        encodeString(folder.name),
        '\r\n',
      );
      if (status?.kind === 'list' && !folder.attributes.includes('\\Noselect')) {
        write(session, statusItems(folder, status.items));
      }
    }
    write(session, `${tag} OK LIST completed\r\n`);
  };

  const select = (session: Session, tag: string, command: string, args: Token[]) => {
    session.selected = undefined;
    const folder = find(argumentBytes(args[0]));
    if (!folder || folder.attributes.includes('\\Noselect')) {
      return write(session, `${tag} NO [NONEXISTENT] Mailbox doesn't exist\r\n`);
    }
    session.selected = folder;
    const count = folder.messages.length;
    write(
      session,
      `* FLAGS ${FLAGS}\r\n`,
      `* OK [PERMANENTFLAGS ()] Read-only mailbox\r\n`,
      `* ${count} EXISTS\r\n`,
      `* 0 RECENT\r\n`,
      `* OK [UIDVALIDITY ${folder.uidValidity}] UIDs valid\r\n`,
      `* OK [UIDNEXT ${count + 1}] Predicted next UID\r\n`,
      `${tag} OK [READ-ONLY] ${command} completed\r\n`,
    );
  };

  const fetch = (session: Session, tag: string, byUid: boolean, args: Token[]) => {
    const folder = session.selected;
    if (!folder) return write(session, `${tag} BAD No mailbox selected\r\n`);
    const set = args[0]?.kind === 'atom' ? args[0].text : '';
    const items = args[1]?.kind === 'list' ? args[1].items : args.slice(1);
    const names = items.flatMap((item) => (item.kind === 'atom' ? [item.text.toUpperCase()] : []));
    const count = folder.messages.length;
    const wanted = numbersIn(set, count);
    for (let index = 0; index < count; index++) {
      const number = index + 1; // UID and sequence number coincide: nothing is ever expunged
      if (!wanted(number)) continue;
      const source = folder.messages[index] as Buffer;
      const parts: Buffer[] = [];
      const add = (text: string, literal?: Buffer) => {
        parts.push(Buffer.from(`${parts.length > 0 ? ' ' : ''}${text}`));
        if (literal) parts.push(Buffer.from(` {${literal.length}}\r\n`), literal);
      };
      if (byUid || names.includes('UID')) add(`UID ${number}`);
      for (const name of names) {
        if (name === 'FLAGS') add('FLAGS ()');
        else if (name === 'RFC822.SIZE') add(`RFC822.SIZE ${source.length}`);
        else if (name === 'MODSEQ') continue;
        else {
          const body = /^BODY(?:\.PEEK)?\[\](?:<(\d+)\.(\d+)>)?$/.exec(name);
          if (!body) continue;
          const offset = Number(body[1] ?? 0);
          const slice = body[1] === undefined ? source : source.subarray(offset, offset + Number(body[2]));
          add(body[1] === undefined ? 'BODY[]' : `BODY[]<${offset}>`, slice);
        }
      }
      write(session, `* ${number} FETCH (`, Buffer.concat(parts), ')\r\n');
    }
    write(session, `${tag} OK FETCH completed\r\n`);
  };

  const authenticatePlain = (session: Session, tag: string, response: Buffer) => {
    const [authzid, user, password] = Buffer.from(response.toString('latin1'), 'base64')
      .toString('utf8')
      .split('\0');
    const allowed = user === options.user && password === options.password;
    if (allowed && (authzid === '' || authzid === user)) {
      session.authenticated = true;
      return write(session, `${tag} OK [CAPABILITY ${capabilities(session)}] Logged in\r\n`);
    }
    write(session, `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`);
  };

  const handle = (session: Session, command: Buffer) => {
    commands.push(Buffer.from(command));
    if (session.saslTag) {
      const tag = session.saslTag;
      session.saslTag = undefined;
      return authenticatePlain(session, tag, command);
    }
    const firstSpace = command.indexOf(0x20);
    const tag = command.subarray(0, firstSpace < 0 ? command.length : firstSpace).toString('latin1');
    let tokens: Token[];
    try {
      tokens = firstSpace < 0 ? [] : tokenize(command.subarray(firstSpace + 1));
    } catch (error) {
      return write(session, `${tag} BAD ${(error as Error).message}\r\n`);
    }
    let name = tokens[0]?.kind === 'atom' ? tokens[0].text.toUpperCase() : '';
    let args = tokens.slice(1);
    let byUid = false;
    if (name === 'UID') {
      byUid = true;
      name = args[0]?.kind === 'atom' ? args[0].text.toUpperCase() : '';
      args = args.slice(1);
    }
    if (name === 'CAPABILITY') {
      return write(session, `* CAPABILITY ${capabilities(session)}\r\n${tag} OK CAPABILITY completed\r\n`);
    }
    if (name === 'NOOP') return write(session, `${tag} OK NOOP completed\r\n`);
    if (name === 'LOGOUT') {
      write(session, `* BYE Logging out\r\n${tag} OK LOGOUT completed\r\n`);
      return session.socket.end();
    }
    if (name === 'STARTTLS' && !options.tls && !(session.socket instanceof TLSSocket)) {
      write(session, `${tag} OK Begin TLS negotiation now\r\n`);
      return upgrade(session);
    }
    if (!session.authenticated) {
      if (name === 'LOGIN') {
        const user = argumentBytes(args[0])?.toString('utf8');
        const password = argumentBytes(args[1])?.toString('utf8');
        if (user === options.user && password === options.password) {
          session.authenticated = true;
          return write(session, `${tag} OK [CAPABILITY ${capabilities(session)}] Logged in\r\n`);
        }
        return write(session, `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`);
      }
      if (name === 'AUTHENTICATE' && args[0]?.kind === 'atom' && args[0].text.toUpperCase() === 'PLAIN') {
        const initial = argumentBytes(args[1]);
        if (initial) return authenticatePlain(session, tag, initial);
        session.saslTag = tag;
        return write(session, '+ \r\n');
      }
      return write(session, `${tag} BAD Log in first\r\n`);
    }
    switch (name) {
      case 'LIST':
        return list(session, tag, args);
      case 'STATUS': {
        const folder = find(argumentBytes(args[0]));
        if (!folder || args[1]?.kind !== 'list') {
          return write(session, `${tag} NO [NONEXISTENT] Mailbox doesn't exist\r\n`);
        }
        return write(session, statusItems(folder, args[1].items), `${tag} OK STATUS completed\r\n`);
      }
      case 'SELECT':
      case 'EXAMINE':
        return select(session, tag, name, args);
      case 'FETCH':
        return fetch(session, tag, byUid, args);
      case 'CLOSE':
      case 'UNSELECT':
        session.selected = undefined;
        return write(session, `${tag} OK ${name} completed\r\n`);
      default:
        return write(session, `${tag} BAD Command not supported by the fake\r\n`);
    }
  };

  const receive = (session: Session, chunk: Buffer) => {
    session.buffer = Buffer.concat([session.buffer, chunk]);
    for (;;) {
      const read = readCommand(session.buffer, session.acknowledged);
      if (read.kind === 'incomplete') return;
      if (read.kind === 'continue') {
        session.acknowledged++;
        write(session, '+ Ready for literal data\r\n');
        continue;
      }
      session.buffer = session.buffer.subarray(read.length);
      session.acknowledged = 0;
      handle(session, read.bytes);
      if (session.socket.destroyed) return;
    }
  };

  // The socket a session reads from (STARTTLS replaces it), so a stale reader stops.
  const current = new WeakMap<Session, Socket>();
  const attach = (session: Session, socket: Socket) => {
    session.socket = socket;
    current.set(session, socket);
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      if (current.get(session) === socket) receive(session, chunk);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };

  const upgrade = (session: Session) => {
    const plain = session.socket;
    plain.removeAllListeners('data');
    const secured = new TLSSocket(plain, { isServer: true, ...credentials });
    attach(session, secured);
  };

  const accept = (socket: Socket) => {
    const session: Session = {
      socket,
      buffer: Buffer.alloc(0),
      acknowledged: 0,
      authenticated: false,
      selected: undefined,
      saslTag: undefined,
    };
    attach(session, socket);
    write(session, `* OK [CAPABILITY ${capabilities(session)}] Fake IMAP ready\r\n`);
  };

  const server: Server = options.tls ? createTlsServer(credentials, accept) : createPlainServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('IMAP fake has no TCP address');

  const namesSent = (wanted: 'SELECT' | 'EXAMINE' | 'STATUS'): Buffer[] =>
    commands.flatMap((command) => {
      const space = command.indexOf(0x20);
      if (space < 0) return [];
      let tokens: Token[];
      try {
        tokens = tokenize(command.subarray(space + 1));
      } catch {
        return [];
      }
      const name = tokens[0]?.kind === 'atom' ? tokens[0].text.toUpperCase() : '';
      const mailbox = argumentBytes(tokens[1]);
      return name === wanted && mailbox ? [mailbox] : [];
    });

  return {
    host: '127.0.0.1',
    port: address.port,
    egressAllowance: `127.0.0.1:${address.port}`,
    commands,
    namesSent,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A membership test for an IMAP sequence set (`1:3,7,9:*`) over numbers 1..count. */
function numbersIn(set: string, count: number): (n: number) => boolean {
  const ranges = set.split(',').map((part) => {
    const [from, to = from] = part.split(':').map((v) => (v === '*' ? count : Number(v)));
    const low = Math.min(from as number, to as number);
    const high = Math.max(from as number, to as number);
    return [low, high] as const;
  });
  return (n) => ranges.some(([low, high]) => n >= low && n <= high);
}
