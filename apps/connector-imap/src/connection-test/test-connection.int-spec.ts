import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

import type { ConnectorTools } from '@mailkeep/connector-kit';
import type { ArchivingProfile, ResolvedSecret, TestConnectionResult } from '@mailkeep/contracts';
import { Egress, EgressPolicy, type LookupAll } from '@mailkeep/egress';
import type { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { freePort, type RunningDovecot, startDovecot, withoutTimings } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ImapSession } from '../protocol/imap-client.js';
import { basicSecret, imapProfile } from '../test-support/fixtures.js';
import { TEST_STEPS, testImapConnection } from './test-connection.js';

/** P11 against a real Dovecot, an unresolvable name, a closed port and a server that never answers. */
const logger = createLogger({ service: 'connector-imap-test-connection', level: 'fatal' });
/** Tools with this egress policy; the test never touches the bus. */
const toolsWith = (egress: Egress): ConnectorTools => ({
  bus: undefined as unknown as MessageBus,
  logger,
  egress,
});
const allowing = (entries: string) => toolsWith(new Egress(EgressPolicy.fromEntries(entries)));
/** Exactly Dovecot's and the silent listener's ports are allowed; the rest of loopback stays refused. */
let tools: ConnectorTools;
/** Half a second: long enough for loopback, short enough to keep the timeout tests quick. */
const SHORT_TIMEOUT_SECONDS = 0.5;

let dovecot: RunningDovecot;
/** Accepts TCP connections and never sends a byte (nor completes a TLS handshake). */
let silent: Server;
let silentPort: number;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  dovecot = await startDovecot({
    users: [
      { name: 'alice', password: 'alice-pass' },
      { name: 'dave@example.test', password: 'dave-pass' },
    ],
  });
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
  tools = allowing(`${dovecot.egressAllowance},127.0.0.1:${silentPort}`);
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  await dovecot?.stop();
});

function test(
  profile: Partial<ArchivingProfile> | Record<string, unknown>,
  credentials: ResolvedSecret = basicSecret('alice', 'alice-pass'),
  address = 'alice',
  connectorTools: ConnectorTools = tools,
): Promise<TestConnectionResult> {
  return testImapConnection(
    {
      tenantId: randomUUID(),
      profile: { ...imapProfile({ port: dovecot.ports.imaps }), ...profile },
      mailbox: { id: randomUUID(), primaryAddress: address },
    },
    credentials,
    connectorTools,
  );
}

const statuses = (result: TestConnectionResult) =>
  Object.fromEntries(result.steps.map((s) => [s.name, s.status]));

describe('test connection', () => {
  it.each([
    ['imap-ssl', () => dovecot.ports.imaps],
    ['imap-tls', () => dovecot.ports.imap],
  ] as const)('succeeds over %s and lists the folders', async (protocol, port) => {
    const result = await test({ protocol, port: port() });
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual(TEST_STEPS.map((name) => [name, 'ok']));
    // INBOX and the five special-use folders of the harness.
    expect(result.steps.find((s) => s.name === 'list folders')?.detail).toMatch(/^6 folders: /);
    expect(result.transcript).not.toContain('alice-pass');
  });

  it('logs in as the master user for the mailbox in multiple mode', async () => {
    const result = await test(
      { mode: 'multiple' },
      basicSecret(dovecot.masterUser.name, dovecot.masterUser.password),
      'dave@example.test',
    );
    expect(result.success).toBe(true);
    expect(result.steps.find((s) => s.name === 'authenticate')?.detail).toBe(
      `logged in as ${dovecot.masterUser.name} for dave@example.test`,
    );
  });

  it('reports a wrong password as authentication, with the server message', async () => {
    const result = await test({}, basicSecret('alice', 'wrong'));
    expect(result.success).toBe(false);
    expect(result.error).toMatchObject({ category: 'authentication' });
    expect(result.error?.serverMessage).toContain('[AUTHENTICATIONFAILED] Authentication failed.');
    expect(statuses(result)).toEqual({
      'resolve host': 'ok',
      connect: 'ok',
      'tls handshake': 'ok',
      authenticate: 'failed',
      'list folders': 'skipped',
    });
    expect(result.transcript).not.toContain('wrong');
  });

  it('reports an unknown host as dns', async () => {
    const result = await test({ serverName: 'mailkeep-test.invalid' });
    expect(result.error?.category).toBe('dns');
    expect(result.error?.serverMessage).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(statuses(result)['resolve host']).toBe('failed');
  });

  it('reports a closed port as network', async () => {
    const closed = await freePort();
    const result = await test({ port: closed }, undefined, undefined, allowing(`127.0.0.1:${closed}`));
    expect(result.error?.category).toBe('network');
    expect(result.error?.serverMessage).toMatch(/ECONNREFUSED/);
    expect(statuses(result)).toMatchObject({ connect: 'failed', 'tls handshake': 'skipped' });
  });

  it.each([
    ['imap-ssl', () => dovecot.ports.imaps],
    ['imap-tls', () => dovecot.ports.imap],
  ] as const)(
    'reports a self-signed certificate as tls over %s unless errors are ignored',
    async (protocol, port) => {
      const result = await test({ protocol, port: port(), ignoreTlsCertificateErrors: false });
      expect(result.error?.category).toBe('tls');
      expect(result.error?.serverMessage).toMatch(/self[- ]signed/i);
      expect(statuses(result)).toMatchObject({ 'tls handshake': 'failed', authenticate: 'skipped' });
    },
  );

  it.each(['imap-ssl', 'imap-tls'] as const)(
    'reports a server that accepts TCP but never answers as timeout (%s)',
    async (protocol) => {
      const result = await test({ protocol, port: silentPort, timeoutSeconds: SHORT_TIMEOUT_SECONDS });
      expect(result.error?.category).toBe('timeout');
      expect(result.error?.serverMessage).toMatch(/no answer within 500 ms/);
      expect(statuses(result)).toMatchObject({ connect: 'ok', 'tls handshake': 'failed' });
    },
  );

  it('reports unusable settings as configuration without trying anything', async () => {
    const result = await test({ protocol: 'pop-ssl' });
    expect(result.error).toMatchObject({ category: 'configuration' });
    expect(result.error?.serverMessage).toContain('protocol');
    expect(result.steps.every((s) => s.status === 'skipped')).toBe(true);
  });
});

describe('the egress policy (issue 17)', () => {
  const byDefault = toolsWith(new Egress());

  it('refuses loopback by default with one answer for an open IMAP port, a closed port and a non-IMAP listener', async () => {
    const accepted = silentSockets.size;
    const answers = await Promise.all(
      [dovecot.ports.imaps, await freePort(), silentPort].map((port) =>
        test({ port }, undefined, undefined, byDefault),
      ),
    );
    const [first, ...others] = answers.map(withoutTimings);
    expect(first).toEqual({
      success: false,
      error: {
        category: 'configuration',
        message: "the server's address 127.0.0.1 is not allowed by this deployment's egress policy",
        serverMessage: "the server's address 127.0.0.1 is not allowed by this deployment's egress policy",
      },
      steps: TEST_STEPS.map((name, i) =>
        i === 0
          ? {
              name,
              status: 'failed',
              detail: "the server's address 127.0.0.1 is not allowed by this deployment's egress policy",
            }
          : { name, status: 'skipped', detail: '' },
      ),
    });
    for (const other of others) expect(other).toEqual(first);
    // No connection reached the listener.
    expect(silentSockets.size).toBe(accepted);
  });

  it.each(['169.254.169.254', '2130706433', '127.1', '0.0.0.0', '[::1]', 'localhost'])(
    'refuses %s by default',
    async (serverName) => {
      const result = await test({ serverName }, undefined, undefined, byDefault);
      expect(result.error?.category).toBe('configuration');
      expect(result.error?.message).toMatch(/is not allowed by this deployment's egress policy$/);
      expect(statuses(result)['resolve host']).toBe('failed');
    },
  );

  it('reaches an allowed ip:port, and refuses the same address on another port', async () => {
    const exact = allowing(`127.0.0.1:${dovecot.ports.imaps}`);
    const allowed = await test(
      { protocol: 'imap-ssl', port: dovecot.ports.imaps },
      undefined,
      undefined,
      exact,
    );
    expect(allowed.success, JSON.stringify(allowed.error)).toBe(true);
    const other = await test({ protocol: 'imap-tls', port: dovecot.ports.imap }, undefined, undefined, exact);
    expect(other.error?.category).toBe('configuration');
    expect(statuses(other)['resolve host']).toBe('failed');
  });

  it('connects imapflow to the checked address when DNS answers differently later (rebinding)', async () => {
    // 127.0.0.2 is loopback too; a listener there, on Dovecot's port, would see a rebound connection.
    const rebound = createServer((socket) => socket.destroy());
    const reached: string[] = [];
    rebound.on('connection', (socket) => reached.push(String(socket.remoteAddress)));
    await new Promise<void>((resolve) => rebound.listen(dovecot.ports.imaps, '127.0.0.2', resolve));
    const calls: string[] = [];
    const lookupAll: LookupAll = (hostname) => {
      calls.push(hostname);
      const address = calls.length === 1 ? '127.0.0.1' : '127.0.0.2';
      return Promise.resolve([{ address, family: 4 }]);
    };
    const egress = new Egress(EgressPolicy.fromEntries(`127.0.0.1:${dovecot.ports.imaps}`), lookupAll);
    const open = () =>
      ImapSession.open(
        {
          host: 'mail.example.test',
          port: dovecot.ports.imaps,
          protocol: 'imap-ssl',
          ignoreTlsCertificateErrors: true,
          timeoutMs: 10_000,
        },
        { user: 'alice', password: 'alice-pass' },
        { logger, egress },
      );
    try {
      const session = await open();
      try {
        // Resolved once, by the policy; imapflow was handed the checked address and resolved nothing.
        expect(calls).toEqual(['mail.example.test']);
        expect(await session.call('LIST', (client) => client.list())).not.toHaveLength(0);
      } finally {
        await session.close();
      }
      // The next connection resolves again and is refused before reaching the rebound address.
      await expect(open()).rejects.toThrow(
        "the server's address 127.0.0.2 (mail.example.test) is not allowed",
      );
      expect(reached).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => rebound.close(() => resolve()));
    }
  });
});
