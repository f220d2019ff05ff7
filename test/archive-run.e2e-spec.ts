import { randomBytes } from 'node:crypto';

import {
  buildMailCorpus,
  createTestDatabase,
  type RunningDovecot,
  type RunningPlatform,
  startDovecot,
  startPlatform,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 7, done when: "run now against Dovecot completes with counters equal to the corpus; a
 * second run archives 0". The whole platform as `npm start` runs it (api, secrets, directory,
 * profiles, scheduler, the IMAP and POP3 connectors), a real Dovecot holding the mixed corpus,
 * and only the REST API of SPEC §5 in between.
 */
const bootstrapKey = `bootstrap_${randomBytes(24).toString('base64url')}`;
let database: TestDatabase;
let platform: RunningPlatform;
let dovecot: RunningDovecot;
let tenant = '';
let admin = '';

interface RunBody {
  id: string;
  status: string;
  finishedAt: string | null;
  counters: Record<string, number>;
  tasks: { mailboxId: string; status: string; attempts: number; lastError: string | null }[];
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${path === '/tenants' ? bootstrapKey : admin}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function created<T extends { id: string }>(path: string, body: unknown): Promise<T> {
  const reply = await call<T>('POST', `/tenants/${tenant}${path}`, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

async function runToEnd(scheduleId: string): Promise<RunBody> {
  const started = await call<RunBody>('POST', `/tenants/${tenant}/schedules/${scheduleId}/run`);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return waitFor(
    async () => {
      const run = await call<RunBody>('GET', `/tenants/${tenant}/runs/${started.body.id}`);
      return run.body.finishedAt === null ? undefined : run.body;
    },
    { timeoutMs: 90_000, description: `run ${started.body.id} finished` },
  );
}

beforeAll(async () => {
  [database, dovecot] = await Promise.all([createTestDatabase('archive_run_e2e'), startDovecot()]);
  platform = await startPlatform({
    MAILKEEP_DATABASE_URL: database.url,
    MAILKEEP_BOOTSTRAP_API_KEY: bootstrapKey,
  });
  tenant = (await call<{ id: string }>('POST', '/tenants', { name: 'Archive Run Ltd' })).body.id;
  const key = await fetch(`${platform.baseUrl}/api/v1/tenants/${tenant}/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', role: 'admin' }),
  });
  admin = ((await key.json()) as { key: string }).key;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await dovecot?.stop();
  await database?.drop();
});

describe('a run of an IMAP profile against Dovecot, through the API', () => {
  it('archives the whole corpus with counters equal to it, and a second run archives nothing', async () => {
    // The mixed corpus (without the 20 MB message: the connector's own tests cover it) in INBOX
    // and a folder with non-ASCII characters and `&`.
    const corpus = buildMailCorpus({ largeAttachmentBytes: 0 });
    for (const [i, message] of corpus.entries()) {
      await dovecot.deliver('alice', i % 2 === 0 ? 'INBOX' : 'Ärger & Co', message.raw);
    }
    const secret = await created<{ id: string }>('/secrets', {
      name: 'alice at dovecot',
      type: 'basic',
      username: 'alice',
      password: 'alice-pass',
    });
    const mailbox = await created<{ id: string }>('/mailboxes', { primaryAddress: 'alice@example.com' });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Alice IMAP',
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      serverName: '127.0.0.1',
      port: dovecot.ports.imaps,
      protocol: 'imap-ssl',
      ignoreTlsCertificateErrors: true,
      timeoutSeconds: 30,
    });
    // P11 through the connector: the saved profile reaches the server.
    const tested = await call<{ success: boolean; steps: { name: string; status: string }[] }>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profile.id}/test-connection`,
      {},
    );
    expect(tested.status, JSON.stringify(tested.body)).toBe(200);
    expect(tested.body.success, JSON.stringify(tested.body)).toBe(true);

    const schedule = await created<{ id: string }>(`/archiving-profiles/${profile.id}/schedules`, {
      name: 'Alice nightly',
      timezone: 'Europe/Berlin',
      recurrence: { type: 'daily', times: ['02:00'] },
    });

    const first = await runToEnd(schedule.id);
    expect(first, JSON.stringify(first)).toMatchObject({
      status: 'succeeded',
      counters: {
        mailboxesTotal: 1,
        mailboxesSucceeded: 1,
        mailboxesFailed: 0,
        messagesArchived: corpus.length,
        messagesFailed: 0,
      },
      tasks: [{ mailboxId: mailbox.id, status: 'succeeded', attempts: 1, lastError: null }],
    });
    expect(first.counters.bytesArchived).toBeGreaterThan(
      corpus.reduce((sum, m) => sum + m.raw.length, 0) / 2,
    );

    const second = await runToEnd(schedule.id);
    expect(second).toMatchObject({
      status: 'succeeded',
      counters: { mailboxesSucceeded: 1, messagesArchived: 0, duplicatesSkipped: 0, messagesFailed: 0 },
    });

    // The log tells the story in words.
    const log = await call<{ items: { severity: string; message: string }[] }>(
      'GET',
      `/tenants/${tenant}/runs/${first.id}/log`,
    );
    expect(log.body.items.map((entry) => entry.message)).toEqual([
      'Run started (manual)',
      'Queued 1 mailbox task(s) for imap connectors',
      expect.stringMatching(
        new RegExp(
          `^Run succeeded: 1 of 1 mailboxes succeeded, 0 failed; ${corpus.length} messages archived`,
        ),
      ),
    ]);
  }, 180_000);
});
