import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { connect } from '@nats-io/transport-node';
import {
  buildMailCorpus,
  callApi,
  type RunningDovecot,
  type RunningPlatform,
  startDovecot,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The platform under the shipped NATS permissions (issue 17, item 1): nats-server runs
 * deploy/nats/nats-server.conf, the launcher connects every service as its own user, and an
 * archive still works end to end — request–reply between every pair of services, the secret
 * resolved by the connector, the work queue, cursors in KV, the catalog fed from the event stream.
 * Meanwhile no service user can read the replies that travel to another.
 */
const CONFIG = fileURLToPath(new URL('../deploy/nats/nats-server.conf', import.meta.url));
const USERS = ['api', 'secrets', 'directory', 'profiles', 'scheduler', 'catalog', 'connector'] as const;
const passwords = Object.fromEntries(
  USERS.map((user) => [user, `Pw${randomBytes(12).toString('hex')}`]),
) as Record<(typeof USERS)[number], string>;

let started: E2ePlatform;
let platform: RunningPlatform;
let dovecot: RunningDovecot;
let tenant = '';
let admin = '';

function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
  return callApi<T>(platform.baseUrl, admin, method, path, body);
}

async function created(path: string, body: unknown): Promise<string> {
  const reply = await call<{ id: string }>('POST', `/tenants/${tenant}${path}`, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.id;
}

beforeAll(async () => {
  dovecot = await startDovecot();
  // Every service (no `services`): each one must connect and work as its own NATS user.
  started = await startE2ePlatform({
    database: 'nats_users_e2e',
    env: Object.fromEntries(
      USERS.map((user) => [`MAILKEEP_NATS_PASSWORD_${user.toUpperCase()}`, passwords[user]]),
    ),
    options: { natsConfig: CONFIG, mailServers: [dovecot] },
    tenant: 'Per-user NATS Ltd',
  });
  ({ platform, tenant, adminKey: admin } = started);
}, 180_000);

afterAll(async () => {
  await started?.stop();
  await dovecot?.stop();
});

describe('the platform with one NATS user per service (deploy/nats/nats-server.conf)', () => {
  it('refuses anonymous clients: the server really runs the shipped permissions', async () => {
    await expect(connect({ servers: platform.natsUrl, reconnect: false })).rejects.toThrow();
  });

  it('tests a connection and archives a mailbox end to end', async () => {
    const corpus = buildMailCorpus({ largeAttachmentBytes: 0, domain: 'nats-users.test' }).slice(0, 12);
    for (const message of corpus) await dovecot.deliver('alice', 'INBOX', message.raw);
    const secretId = await created('/secrets', {
      name: 'alice',
      type: 'basic',
      username: 'alice',
      password: 'alice-pass',
    });
    const mailboxId = await created('/mailboxes', { primaryAddress: 'alice@nats-users.test' });
    const profileId = await created('/archiving-profiles', {
      name: 'Alice over per-user NATS',
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secretId,
      mailboxId,
      serverName: '127.0.0.1',
      port: dovecot.ports.imaps,
      protocol: 'imap-ssl',
      ignoreTlsCertificateErrors: true,
    });
    // api → profiles → directory, secrets (resolve, by the connector) → connector and back.
    const tested = await call<{ success: boolean }>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profileId}/test-connection`,
      {},
    );
    expect(tested.body.success, JSON.stringify(tested.body)).toBe(true);

    const scheduleId = await created(`/archiving-profiles/${profileId}/schedules`, {
      name: 'Alice daily',
      timezone: 'UTC',
      recurrence: { type: 'daily', times: ['03:00'] },
    });
    const started = await call<{ id: string }>('POST', `/tenants/${tenant}/schedules/${scheduleId}/run`);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const run = await waitFor(
      async () => {
        const current = await call<{ finishedAt: string | null; status: string; counters: object }>(
          'GET',
          `/tenants/${tenant}/runs/${started.body.id}`,
        );
        return current.body.finishedAt === null ? undefined : current.body;
      },
      { timeoutMs: 90_000, description: 'the run to finish' },
    );
    expect(run).toMatchObject({ status: 'succeeded', counters: { messagesArchived: corpus.length } });
    const messages = await waitFor(
      async () => {
        const page = await call<{ items: unknown[] }>(
          'GET',
          `/tenants/${tenant}/messages?mailboxId=${mailboxId}`,
        );
        return page.body.items.length === corpus.length ? page.body.items : undefined;
      },
      { timeoutMs: 60_000, description: 'every message catalogued' },
    );
    expect(messages).toHaveLength(corpus.length);
  }, 180_000);
});
