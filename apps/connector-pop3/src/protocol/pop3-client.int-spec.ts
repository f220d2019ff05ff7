import { connect, createServer, type Server, type Socket } from 'node:net';

import { Egress, EgressPolicy } from '@mailkeep/egress';
import { type RunningDovecot, startDovecot, waitFor } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Pop3Client } from './pop3-client.js';
import { MAX_STATUS_LINE_BYTES, Pop3Connection } from './pop3-connection.js';
import type { Pop3Login } from './pop3-settings.js';
import { connectPop3 } from './pop3-transport.js';

/** Local servers answer in milliseconds; two seconds only bounds a broken test. */
const TIMEOUT_MS = 2_000;

let dovecot: RunningDovecot;

beforeAll(async () => {
  dovecot = await startDovecot({ specialUseFolders: false });
  await dovecot.deliver('bob', 'INBOX', Buffer.from('Subject: for bob\r\n\r\nhello bob\r\n'));
});

afterAll(async () => {
  await dovecot?.stop();
});

async function session(): Promise<{ client: Pop3Client; capabilities: readonly string[] | undefined }> {
  return connectPop3(
    {
      host: dovecot.host,
      port: dovecot.ports.pop3,
      security: 'stls',
      timeoutMs: TIMEOUT_MS,
      verifyCertificate: true,
    },
    { egress: new Egress(EgressPolicy.fromEntries(dovecot.egressAllowance)), ca: dovecot.caCertificatePem },
  );
}

describe('master-user login against Dovecot', () => {
  const asBob: Pop3Login = { username: 'archiver', password: 'archiver-pass', actAs: 'bob' };

  it('uses SASL PLAIN with the mailbox as authorization identity when offered', async () => {
    const { client, capabilities } = await session();
    try {
      expect(capabilities).toContain('SASL PLAIN LOGIN');
      await client.login(asBob, capabilities);
      expect(await client.stat()).toMatchObject({ messages: 1 });
    } finally {
      client.close();
    }
  });

  it('falls back to USER <mailbox>*<master> without SASL PLAIN', async () => {
    const { client } = await session();
    try {
      await client.login(asBob, ['USER', 'UIDL']); // a server that offers no SASL
      expect(await client.stat()).toMatchObject({ messages: 1 });
    } finally {
      client.close();
    }
  });
});

/** A loopback server that answers each command from a script (after its greeting). */
async function scriptedServer(
  answers: Record<string, string | Buffer>,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.write('+OK scripted\r\n');
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const verb = (pending.slice(0, end).split(' ')[0] ?? '').toUpperCase();
        pending = pending.slice(end + 2);
        socket.write(answers[verb] ?? '+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function plainClient(port: number): Promise<Pop3Client> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const connection = new Pop3Connection(socket, TIMEOUT_MS);
  await connection.greeting();
  return new Pop3Client(connection);
}

describe('bad server input gives clear errors', () => {
  it('a status line that never ends', async () => {
    const server = await scriptedServer({ STAT: Buffer.alloc(MAX_STATUS_LINE_BYTES + 10, 0x41) });
    const client = await plainClient(server.port);
    try {
      await expect(client.stat()).rejects.toThrow(
        `a line of over ${MAX_STATUS_LINE_BYTES} bytes without CRLF`,
      );
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a UIDL listing that breaks RFC 1939', async () => {
    const server = await scriptedServer({ UIDL: '+OK\r\n1 a\r\n1 b\r\n.\r\n' });
    const client = await plainClient(server.port);
    try {
      await expect(client.uidl()).rejects.toThrow('Malformed POP3 answer to UIDL: 1 b');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a UIDL listing with one id twice', async () => {
    const server = await scriptedServer({ UIDL: '+OK\r\n1 same\r\n2 same\r\n.\r\n' });
    const client = await plainClient(server.port);
    try {
      await expect(client.uidl()).rejects.toThrow('listed the unique id same twice');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('an answer that is neither +OK nor -ERR', async () => {
    const server = await scriptedServer({ STAT: '* what\r\n' });
    const client = await plainClient(server.port);
    try {
      await expect(client.stat()).rejects.toThrow('Unexpected POP3 answer to STAT: * what');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a connection closed in the middle of RETR', async () => {
    const server = await scriptedServer({ RETR: '+OK\r\npartial line\r\n' });
    const client = await plainClient(server.port);
    try {
      const response = await client.retr(1);
      const chunks: Buffer[] = [];
      response.body.on('data', (chunk: Buffer) => chunks.push(chunk));
      await waitFor(() => chunks.length > 0, { description: 'the first part of the message' });
      await server.close();
      await expect(response.complete).rejects.toThrow('The POP3 server closed the connection');
      expect(response.body.destroyed).toBe(true);
    } finally {
      client.close();
    }
  });
});
