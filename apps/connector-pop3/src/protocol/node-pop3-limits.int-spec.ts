/**
 * Why the connector has its own POP3 client (docs/decisions/0008-pop3-client.md): node-pop3 0.11.0, the
 * version on the registry, is shown here to (1) leave dot-stuffing in the message, (2) drop the
 * message's final CRLF, and (3) never end a response whose terminator arrives split over two TCP
 * packets. The connector's client is run through the same cases and gets them right.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

import { Egress, EgressPolicy } from '@mailkeep/egress';
import { type RunningDovecot, startDovecot } from '@mailkeep/testing';
import Pop3Command from 'node-pop3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Pop3Client } from './pop3-client.js';
import { Pop3Connection } from './pop3-connection.js';
import { connectPop3 } from './pop3-transport.js';

/**
 * How long a response may take before the test calls it hung. Loopback and a local Dovecot answer
 * in milliseconds; 1.5 s keeps the hang visible as an outcome without slowing the suite much.
 */
const HANG_DEADLINE_MS = 1_500;

/** A message whose lines start with dots and which has no final line break (Dovecot adds CRLF). */
const DOTTY = Buffer.from(
  'From: a@example.com\r\nSubject: dots\r\n\r\n.leading dot\r\n.\r\n..two dots\r\nlast line without CRLF',
);

let dovecot: RunningDovecot;
let uid: number;

beforeAll(async () => {
  dovecot = await startDovecot({ specialUseFolders: false });
  ({ uid } = await dovecot.deliver('alice', 'INBOX', DOTTY));
});

afterAll(async () => {
  await dovecot?.stop();
});

/** Reads a stream to its end, or reports that it did not end in time. */
async function readOrHang(stream: Readable): Promise<{ ended: boolean; bytes: Buffer }> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    new Promise<boolean>((resolve) => {
      stream.once('end', () => resolve(true));
      stream.once('close', () => resolve(false));
      stream.once('error', () => resolve(false));
    }),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), HANG_DEADLINE_MS))),
  ]);
  clearTimeout(timer);
  return { ended, bytes: Buffer.concat(chunks) };
}

/** RFC 1939 dot-stuffing of a message that ends with CRLF: what travels before `.` CRLF. */
function stuffed(message: Buffer): Buffer {
  return Buffer.from(message.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1');
}

function nodePop3(port: number, tls: boolean): Pop3Command {
  return new Pop3Command({
    user: 'alice',
    password: 'alice-pass',
    host: '127.0.0.1',
    port,
    tls,
    ...(tls && { tlsOptions: { ca: dovecot.caCertificatePem }, servername: 'localhost' }),
  });
}

function dropNodePop3(pop: Pop3Command): void {
  pop._socket?.destroy();
}

describe('node-pop3 0.11.0 against Dovecot', () => {
  it('returns RETR with the dot-stuffing left in and without the final CRLF', async () => {
    const expected = await dovecot.pop3Source('alice', uid);
    expect(expected.subarray(-2).toString()).toBe('\r\n'); // the server added the final CRLF
    const pop = nodePop3(dovecot.ports.pop3s, true);
    try {
      const list = (await pop.UIDL()) as string[][];
      const number = list[0]?.[0] ?? '1';
      const [, stream] = await pop.command('RETR', number);
      const { ended, bytes } = await readOrHang(stream);
      expect(ended).toBe(true);
      expect(bytes.equals(expected)).toBe(false);
      // Exactly the stuffed wire form, minus the message's own final CRLF.
      expect(Buffer.concat([bytes, Buffer.from('\r\n')]).equals(stuffed(expected))).toBe(true);
      expect(bytes.toString()).toContain('\r\n..leading dot\r\n..\r\n...two dots\r\n');
    } finally {
      dropNodePop3(pop);
    }
  });

  it('the connector client returns exactly what the server sent', async () => {
    const expected = await dovecot.pop3Source('alice', uid);
    const { client } = await connectPop3(
      {
        host: '127.0.0.1',
        port: dovecot.ports.pop3s,
        security: 'implicit',
        timeoutMs: HANG_DEADLINE_MS,
        verifyCertificate: true,
      },
      { egress: new Egress(EgressPolicy.fromEntries(dovecot.egressAllowance)), ca: dovecot.caCertificatePem },
    );
    try {
      await client.login({ username: 'alice', password: 'alice-pass' }, undefined);
      const [entry] = await client.uidl();
      const response = await client.retr(entry?.number ?? 1);
      const { ended, bytes } = await readOrHang(response.body);
      await response.complete;
      expect(ended).toBe(true);
      expect(bytes.equals(expected)).toBe(true);
    } finally {
      client.close();
    }
  });
});

/**
 * A loopback POP3 server that answers RETR 1 with `hello` and sends its terminator `CRLF . CRLF`
 * in two writes, the second only once the test says the client has read the first (so the two
 * cannot travel in one TCP segment).
 */
async function splitTerminatorServer(): Promise<{ port: number; sendRest(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let rest: (() => void) | undefined;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.write('+OK loopback ready\r\n');
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const command = pending.slice(0, end).toUpperCase();
        pending = pending.slice(end + 2);
        if (command.startsWith('UIDL')) socket.write('+OK\r\n1 only-one\r\n.\r\n');
        else if (command.startsWith('RETR')) {
          socket.write('+OK 7 octets\r\nhello\r\n.\r');
          rest = () => socket.write('\n');
        } else socket.write('+OK\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    sendRest: () => rest?.(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a terminator split across TCP packets', () => {
  it('hangs node-pop3 0.11.0: the response never ends and the terminator leaks into the content', async () => {
    const server = await splitTerminatorServer();
    const pop = nodePop3(server.port, false);
    try {
      await pop.UIDL();
      const [, stream] = await pop.command('RETR', 1);
      stream.once('data', () => server.sendRest());
      const { ended, bytes } = await readOrHang(stream);
      expect(ended).toBe(false); // still waiting after the deadline: the hang of node-pop3#36
      expect(bytes.toString('latin1')).toBe('hello\r\n.\r\n');
    } finally {
      dropNodePop3(pop);
      await server.close();
    }
  });

  it('is found by the connector client, which returns the content and stays usable', async () => {
    const server = await splitTerminatorServer();
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const connection = new Pop3Connection(socket, HANG_DEADLINE_MS);
    const client = new Pop3Client(connection);
    try {
      await connection.greeting();
      await client.login({ username: 'alice', password: 'x' }, undefined);
      const response = await client.retr(1);
      response.body.once('data', () => server.sendRest());
      const { ended, bytes } = await readOrHang(response.body);
      await response.complete;
      expect(ended).toBe(true);
      expect(bytes.toString('latin1')).toBe('hello\r\n');
      expect(await client.uidl()).toEqual([{ number: 1, uidl: 'only-one' }]);
    } finally {
      client.close();
      await server.close();
    }
  });
});
