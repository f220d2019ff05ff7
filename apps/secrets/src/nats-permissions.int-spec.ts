import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { type SecretResolveRequest, SECRET_GET_V1, SECRET_RESOLVE_V2 } from '@mailkeep/contracts';
import { inboxPrefixOf, MessageBus } from '@mailkeep/messaging';
import { resolveSecret, sealSecret } from '@mailkeep/secrets-crypto';
import { createLogger } from '@mailkeep/observability';
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

/** A raw client of the user, with the reply inbox the messaging library gives that user. */
async function as(user: User, options: { inboxPrefix?: string } = {}): Promise<NatsConnection> {
  const nc = await connect({
    servers: `nats://127.0.0.1:${port}`,
    user,
    pass: passwords[user],
    inboxPrefix: options.inboxPrefix ?? inboxPrefixOf(user),
  });
  connections.push(nc);
  return nc;
}

/** Subscribes and resolves with the server's verdict: 'refused' (a permissions error) or 'allowed'. */
async function trySubscribe(
  nc: NatsConnection,
  subject: string,
  queue?: string,
): Promise<'refused' | 'allowed'> {
  let refusal: Error | undefined;
  const sub = nc.subscribe(subject, { ...(queue !== undefined && { queue }), callback: () => undefined });
  void sub.closed.then((error) => (refusal = error instanceof Error ? error : refusal));
  // A refused subscription is closed with the server's -ERR; one that survives a round trip stands.
  await nc.flush();
  await waitFor(() => refusal !== undefined || !sub.isClosed(), {
    timeoutMs: 5_000,
    description: `the server's verdict on ${subject}`,
  });
  await nc.flush();
  if (refusal !== undefined && /permission/i.test(refusal.message)) return 'refused';
  if (sub.isClosed()) throw new Error(`subscription to ${subject} closed: ${refusal?.message}`);
  sub.unsubscribe();
  return 'allowed';
}

const OWN_REQUESTS: Record<User, string> = {
  secrets: 'secrets.req.>',
  directory: 'directory.req.>',
  connector: 'connector.req.>',
  api: 'archive.evt.run.>',
  profiles: 'profiles.req.>',
  scheduler: 'scheduler.req.>',
  catalog: 'catalog.req.>',
};

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
    // A connection of this test's own: closed at its end, so its responders answer no later test.
    const secrets = await as('secrets');
    const received: string[] = [];
    secrets.subscribe(SECRET_RESOLVE_V2.subject, {
      queue: 'secrets',
      callback: (_error, msg) => {
        received.push(msg.string());
        msg.respond('{}');
      },
    });
    secrets.subscribe(SECRET_GET_V1.subject, {
      queue: 'secrets',
      callback: (_error, msg) => {
        msg.respond('"ok"');
      },
    });
    await secrets.flush();

    for (const user of ['connector', 'directory'] as const) {
      const nc = await as(user);
      const reply = await nc.request(SECRET_RESOLVE_V2.subject, JSON.stringify({ from: user }), {
        timeout: 2_000,
      });
      expect(reply.string()).toBe('{}');
    }
    for (const user of ['api', 'profiles', 'scheduler', 'catalog', 'secrets'] as const) {
      const nc = await as(user);
      await expect(
        nc.request(SECRET_RESOLVE_V2.subject, JSON.stringify({ from: user }), { timeout: 1_000 }),
      ).rejects.toThrow();
      // Other secrets requests stay open to them (the api forwards create, get, list…).
      expect((await nc.request(SECRET_GET_V1.subject, '{}', { timeout: 2_000 })).string()).toBe('"ok"');
    }
    expect(received.map((r) => (JSON.parse(r) as { from: string }).from).sort()).toEqual([
      'connector',
      'directory',
    ]);
    await secrets.close();
  });

  it('lets no other user subscribe to the secrets service subjects (no impostor answers)', async () => {
    const api = await as('api');
    const errors: unknown[] = [];
    const sub = api.subscribe(SECRET_RESOLVE_V2.subject, { callback: () => undefined });
    void sub.closed.then((error) => errors.push(error));
    api.closed().catch(() => undefined);
    await waitFor(() => errors.length > 0 && errors[0] !== undefined, {
      timeoutMs: 5_000,
      description: 'the server to refuse the subscription',
    });
    expect(String(errors[0])).toMatch(/permission/i);
  });

  it("gives no user another user's replies: the plaintext of a resolve reaches only its requester", async () => {
    const plaintext = `pw-${randomBytes(8).toString('hex')}`;
    const secrets = await as('secrets');
    secrets.subscribe(SECRET_RESOLVE_V2.subject, {
      queue: 'secrets',
      callback: (_error, msg) => {
        const request = JSON.parse(msg.string()) as SecretResolveRequest;
        const secret = { id: request.id, type: 'basic' as const, username: 'u', password: plaintext };
        msg.respond(JSON.stringify(sealSecret(request, secret)));
      },
    });
    await secrets.flush();

    // Every other user tries to listen where replies travel: the shared inbox, the connector's, all.
    const eavesdroppers = USERS.filter((u) => u !== 'connector');
    for (const user of eavesdroppers) {
      const nc = await as(user);
      for (const subject of ['_INBOX.>', '_INBOX_connector.>', '>']) {
        expect([user, subject, await trySubscribe(nc, subject)]).toEqual([user, subject, 'refused']);
      }
    }

    // The connector asks through the messaging library, which connects with its own inbox prefix.
    const bus = await MessageBus.connect({
      servers: `nats://connector:${passwords.connector}@127.0.0.1:${port}`,
      name: 'permissions-test-connector',
      logger: createLogger({ service: 'permissions-test', level: 'fatal' }),
    });
    try {
      const reply = await resolveSecret(bus, {
        tenantId: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
        id: '0b8e6a52-41c7-4d0e-9f3a-2b5c6d7e8f90',
      });
      expect(reply.password).toBe(plaintext);
    } finally {
      await bus.close();
    }
  });

  it('lets no user pose as another service (request subjects are allow-listed per user)', async () => {
    for (const user of USERS) {
      const nc = await as(user);
      expect([user, await trySubscribe(nc, OWN_REQUESTS[user], user)]).toEqual([user, 'allowed']);
      for (const other of USERS.filter((u) => u !== user)) {
        const subject = OWN_REQUESTS[other];
        expect([user, subject, await trySubscribe(nc, subject, other)]).toEqual([user, subject, 'refused']);
      }
    }
  });

  it('keeps JetStream and KV working through the private inbox, and only through it', async () => {
    const catalog = await as('catalog');
    const jsm = await jetstreamManager(catalog);
    const stream = `PERM_${randomBytes(4).toString('hex')}`;
    await jsm.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.>`] });
    await jsm.consumers.add(stream, { durable_name: 'reader', ack_policy: 'explicit' });
    await jetstream(catalog).publish(`${stream.toLowerCase()}.x`, 'hello');
    const consumer = await jetstream(catalog).consumers.get(stream, 'reader');
    const message = await consumer.next({ expires: 5_000 });
    expect(message?.string()).toBe('hello');
    message?.ack();

    const kv = await new Kvm(catalog).create(`perm_${randomBytes(4).toString('hex')}`);
    const watch = await kv.watch();
    await kv.put('k', 'v');
    for await (const entry of watch) {
      expect(entry.string()).toBe('v');
      break;
    }
    await jsm.streams.delete(stream);

    // Without the prefix (the client's default `_INBOX`), the same user gets no reply at all.
    const responder = await as('secrets');
    responder.subscribe('platform.req.service.ping.v1', {
      callback: (_error, msg) => void msg.respond('pong'),
    });
    await responder.flush();
    expect((await catalog.request('platform.req.service.ping.v1', '{}', { timeout: 2_000 })).string()).toBe(
      'pong',
    );
    const unprefixed = await as('catalog', { inboxPrefix: '_INBOX' });
    await expect(
      unprefixed.request('platform.req.service.ping.v1', '{}', { timeout: 1_000 }),
    ).rejects.toThrow();
    await responder.close();
  });
});
