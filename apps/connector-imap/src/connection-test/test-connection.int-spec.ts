import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

import type { ConnectorTools } from '@mailkeep/connector-kit';
import type { ArchivingProfile, ResolvedSecret, TestConnectionResult } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { freePort, type RunningDovecot, startDovecot } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { basicSecret, imapProfile } from '../test-support/fixtures.js';
import { TEST_STEPS, testImapConnection } from './test-connection.js';

/** P11 against a real Dovecot, an unresolvable name, a closed port and a server that never answers. */
const logger = createLogger({ service: 'connector-imap-test-connection', level: 'fatal' });
// The test never touches the bus: the connector only needs the logger here.
const tools: ConnectorTools = { bus: undefined as unknown as MessageBus, logger };
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
): Promise<TestConnectionResult> {
  return testImapConnection(
    {
      tenantId: randomUUID(),
      profile: { ...imapProfile({ port: dovecot.ports.imaps }), ...profile },
      mailbox: { id: randomUUID(), primaryAddress: address },
    },
    credentials,
    tools,
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
    const result = await test({ port: await freePort() });
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
