import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { SECRETS_GET_V1, SECRETS_RESOLVE_V1 } from '@mailkeep/contracts';
import { freePort, waitFor } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * SPEC S7 as deployed: deploy/nats/nats-server.conf run by a real nats-server. Only the connector
 * and directory users may publish a resolve request; nobody but the secrets user may answer one.
 */
const CONFIG = fileURLToPath(new URL('../../../deploy/nats/nats-server.conf', import.meta.url));
const USERS = ['secrets', 'directory', 'connector', 'api', 'profiles', 'scheduler', 'catalog'] as const;
type User = (typeof USERS)[number];

const passwords = Object.fromEntries(
  USERS.map((u) => [u, `pw_${randomBytes(12).toString('hex')}`]),
) as Record<User, string>;
let port: number;
let server: ChildProcess;
let serverExited: Promise<unknown>;
let storeDir: string;
const connections: NatsConnection[] = [];

async function as(user: User): Promise<NatsConnection> {
  const nc = await connect({ servers: `nats://127.0.0.1:${port}`, user, pass: passwords[user] });
  connections.push(nc);
  return nc;
}

beforeAll(async () => {
  port = await freePort();
  storeDir = mkdtempSync(join(tmpdir(), 'mk-nats-perm-'));
  const env = Object.fromEntries(
    USERS.map((u) => [`MAILKEEP_NATS_PASSWORD_${u.toUpperCase()}`, passwords[u]]),
  );
  server = spawn(
    'nats-server',
    ['-c', CONFIG, '-a', '127.0.0.1', '-p', String(port), '-m', '0', '-sd', storeDir],
    { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' },
  );
  serverExited = new Promise((resolve) => server.once('exit', resolve));
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connectTcp(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      }),
    { timeoutMs: 10_000, intervalMs: 50, description: 'nats-server with the deploy config to listen' },
  );
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  server.kill('SIGTERM');
  await serverExited;
  rmSync(storeDir, { recursive: true, force: true });
});

describe('deploy/nats/nats-server.conf', () => {
  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(connect({ servers: `nats://127.0.0.1:${port}`, reconnect: false })).rejects.toThrow();
    await expect(
      connect({ servers: `nats://127.0.0.1:${port}`, user: 'api', pass: 'wrong', reconnect: false }),
    ).rejects.toThrow();
  });

  it('lets only connectors and the directory service publish resolve requests', async () => {
    const secrets = await as('secrets');
    const received: string[] = [];
    secrets.subscribe(SECRETS_RESOLVE_V1.subject, {
      queue: 'secrets',
      callback: (_error, msg) => {
        received.push(msg.string());
        msg.respond('{}');
      },
    });
    secrets.subscribe(SECRETS_GET_V1.subject, {
      queue: 'secrets',
      callback: (_error, msg) => {
        msg.respond('"ok"');
      },
    });
    await secrets.flush();

    for (const user of ['connector', 'directory'] as const) {
      const nc = await as(user);
      const reply = await nc.request(SECRETS_RESOLVE_V1.subject, JSON.stringify({ from: user }), {
        timeout: 2_000,
      });
      expect(reply.string()).toBe('{}');
    }
    for (const user of ['api', 'profiles', 'scheduler', 'catalog', 'secrets'] as const) {
      const nc = await as(user);
      await expect(
        nc.request(SECRETS_RESOLVE_V1.subject, JSON.stringify({ from: user }), { timeout: 1_000 }),
      ).rejects.toThrow();
      // Other secrets requests stay open to them (the api forwards create, get, list…).
      expect((await nc.request(SECRETS_GET_V1.subject, '{}', { timeout: 2_000 })).string()).toBe('"ok"');
    }
    expect(received.map((r) => (JSON.parse(r) as { from: string }).from).sort()).toEqual([
      'connector',
      'directory',
    ]);
  });

  it('lets no other user subscribe to the secrets service subjects (no impostor answers)', async () => {
    const api = await as('api');
    const errors: unknown[] = [];
    const sub = api.subscribe(SECRETS_RESOLVE_V1.subject, { callback: () => undefined });
    void sub.closed.then((error) => errors.push(error));
    api.closed().catch(() => undefined);
    await waitFor(() => errors.length > 0 && errors[0] !== undefined, {
      timeoutMs: 5_000,
      description: 'the server to refuse the subscription',
    });
    expect(String(errors[0])).toMatch(/permission/i);
  });
});
