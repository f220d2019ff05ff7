import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

import type { ConnectorTestConnectionRequest, ResolvedSecret } from '@mailkeep/contracts';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import { freePort, type RunningDovecot, startDovecot, withoutTimings } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TEST_CONNECTION_STEPS, testPop3Connection } from './test-connection.js';

/**
 * The timeout of the tests against a server that never answers. Fractions of a second keep them
 * fast; profiles of real users have at least 10 s (the profiles service's floor).
 */
const SHORT_TIMEOUT_SECONDS = 0.3;

let dovecot: RunningDovecot;
let silent: Server;
let silentPort: number;
const silentSockets = new Set<Socket>();
/** Exactly Dovecot's ports and the silent listener's are allowed; the rest of loopback stays refused. */
let tools: { egress: Egress };
const allowing = (entries: string) => ({ egress: new Egress(EgressPolicy.fromEntries(entries)) });

beforeAll(async () => {
  dovecot = await startDovecot({ specialUseFolders: false });
  // Accepts connections and never sends a byte: no greeting, no TLS handshake.
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
  tools = allowing(`${dovecot.egressAllowance},127.0.0.1:${silentPort}`);
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await dovecot?.stop();
});

function request(profile: Record<string, unknown>, primaryAddress = 'alice'): ConnectorTestConnectionRequest {
  return {
    tenantId: randomUUID(),
    profile: {
      type: 'pop3',
      mode: 'single',
      serverName: dovecot.host,
      protocol: 'pop-ssl',
      port: dovecot.ports.pop3s,
      ...profile,
    },
    mailbox: { id: randomUUID(), primaryAddress },
  };
}

function secret(username = 'alice', password = 'alice-pass'): ResolvedSecret {
  return { id: randomUUID(), type: 'basic', username, password };
}

const ca = () => ({ ca: dovecot.caCertificatePem });

describe('testPop3Connection', () => {
  it('runs every step against Dovecot over implicit TLS and reports what it found', async () => {
    const result = await testPop3Connection(request({}), secret(), tools, ca());
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual(TEST_CONNECTION_STEPS.map((n) => [n, 'ok']));
    expect(result.steps.find((s) => s.name === 'capabilities')?.detail).toContain('SASL PLAIN');
    expect(result.steps.find((s) => s.name === 'list messages')?.detail).toMatch(
      /^\d+ messages, \d+ octets$/,
    );
    expect(result.transcript).not.toContain('alice-pass');
    expect(result.transcript).not.toContain(Buffer.from('\0alice\0alice-pass').toString('base64'));
    expect(result.transcript).toContain('C: AUTH (SASL PLAIN response ***)');
  });

  it('upgrades with STLS and logs in as a master user for the chosen mailbox', async () => {
    const result = await testPop3Connection(
      request({ protocol: 'pop-tls', port: dovecot.ports.pop3, mode: 'multiple' }, 'bob'),
      secret(dovecot.masterUser.name, dovecot.masterUser.password),
      tools,
      ca(),
    );
    expect(result).toMatchObject({ success: true });
    expect(result.transcript).toContain('C: STLS');
    expect(result.transcript).not.toContain(dovecot.masterUser.password);
  });

  it('accepts a self-signed certificate only with ignoreTlsCertificateErrors', async () => {
    const refused = await testPop3Connection(request({}), secret(), tools);
    expect(refused.error).toMatchObject({ category: 'tls' });
    expect(refused.error?.serverMessage).toMatch(/self.signed/i);
    expect(refused.steps.map((s) => s.status)).toEqual(['ok', 'failed', 'skipped', 'skipped', 'skipped']);

    const accepted = await testPop3Connection(request({ ignoreTlsCertificateErrors: true }), secret(), tools);
    expect(accepted.success).toBe(true);
    expect(accepted.steps.find((s) => s.name === 'tls handshake')?.detail).toContain('not verified');
  });

  it('reports a wrong password as authentication, with the server’s message', async () => {
    const result = await testPop3Connection(request({}), secret('alice', 'wrong'), tools, ca());
    expect(result.error).toMatchObject({
      category: 'authentication',
      serverMessage: '[AUTH] Authentication failed.',
    });
    expect(result.steps.find((s) => s.name === 'authenticate')?.status).toBe('failed');
  });

  it('reports an unknown host as dns', async () => {
    const result = await testPop3Connection(
      request({ serverName: 'no-such-host.invalid' }),
      secret(),
      tools,
      ca(),
    );
    expect(result.error).toMatchObject({ category: 'dns' });
    expect(result.error?.serverMessage).toContain('no-such-host.invalid');
  });

  it('reports a closed port as network', async () => {
    const closed = await freePort();
    const result = await testPop3Connection(
      request({ port: closed }),
      secret(),
      allowing(`127.0.0.1:${closed}`),
      ca(),
    );
    expect(result.error).toMatchObject({ category: 'network' });
    expect(result.error?.serverMessage).toContain('ECONNREFUSED');
  });

  it('reports a server that accepts but never answers as timeout (greeting, and TLS handshake)', async () => {
    const stls = await testPop3Connection(
      request({ protocol: 'pop-tls', port: silentPort, timeoutSeconds: SHORT_TIMEOUT_SECONDS }),
      secret(),
      tools,
      ca(),
    );
    expect(stls.error).toMatchObject({ category: 'timeout' });
    expect(stls.steps[0]).toMatchObject({ name: 'connect', status: 'failed' });

    const implicit = await testPop3Connection(
      request({ port: silentPort, timeoutSeconds: SHORT_TIMEOUT_SECONDS }),
      secret(),
      tools,
      ca(),
    );
    expect(implicit.error).toMatchObject({ category: 'timeout' });
    expect(implicit.steps[1]).toMatchObject({ name: 'tls handshake', status: 'failed' });
  });

  it('reports an unusable profile as configuration without connecting', async () => {
    const result = await testPop3Connection(request({ protocol: 'imap-ssl' }), secret(), tools, ca());
    expect(result.error).toMatchObject({ category: 'configuration' });
    expect(result.steps.every((s) => s.status === 'skipped')).toBe(true);
  });
});

describe('the egress policy (issue 17)', () => {
  const byDefault = { egress: new Egress() };

  it('refuses loopback by default with one answer for an open POP3 port, a closed port and a non-POP3 listener', async () => {
    const accepted = silentSockets.size;
    const answers = await Promise.all(
      [dovecot.ports.pop3s, await freePort(), silentPort].map((port) =>
        testPop3Connection(request({ port }), secret(), byDefault, ca()),
      ),
    );
    const refusal = "the server's address 127.0.0.1 is not allowed by this deployment's egress policy";
    const [first, ...others] = answers.map(withoutTimings);
    expect(first).toEqual({
      success: false,
      error: { category: 'configuration', message: refusal, serverMessage: refusal },
      steps: TEST_CONNECTION_STEPS.map((name, i) =>
        i === 0 ? { name, status: 'failed', detail: refusal } : { name, status: 'skipped', detail: '' },
      ),
    });
    for (const other of others) expect(other).toEqual(first);
    expect(silentSockets.size).toBe(accepted);
  });

  it.each(['localhost', '169.254.169.254', '2130706433', '[::1]'])(
    'refuses %s by default',
    async (serverName) => {
      const result = await testPop3Connection(request({ serverName }), secret(), byDefault, ca());
      expect(result.error?.category).toBe('configuration');
      expect(result.error?.message).toMatch(/is not allowed by this deployment's egress policy$/);
    },
  );

  it('reaches an allowed ip:port, and refuses the same address on another port', async () => {
    const exact = allowing(`127.0.0.1:${dovecot.ports.pop3s}`);
    const allowed = await testPop3Connection(request({}), secret(), exact, ca());
    expect(allowed.success, JSON.stringify(allowed.error)).toBe(true);
    const other = await testPop3Connection(
      request({ protocol: 'pop-tls', port: dovecot.ports.pop3 }),
      secret(),
      exact,
      ca(),
    );
    expect(other.error?.category).toBe('configuration');
  });
});
