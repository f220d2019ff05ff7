import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  createTenantWithAdmin,
  createTestDatabase,
  type PlatformProcesses,
  type RunningDovecot,
  startDovecot,
  startPlatformProcesses,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { archiveApi, type RunBody } from '../support/archive-api.js';

/**
 * Each service SIGKILLed in the middle of an IMAP run (and NATS itself), then started again: the
 * run must end by itself with every message of the source archived exactly once, byte for byte.
 * Messages are large enough (~120 KB) that a run of MESSAGES takes seconds, so the kill lands
 * mid-run, and few enough that the file stays within the faults project's budget.
 */
const MESSAGES = 60;
const RUN_TIMEOUT_MS = 150_000;

const bootstrapKey = `mk_op_${randomBytes(16).toString('hex')}`;
let database: TestDatabase;
let dovecot: RunningDovecot;
let dataDir: string;
let platform: PlatformProcesses;
let tenant: string;
let adminKey: string;

const { call, created, catalogued, download } = archiveApi(() => ({
  baseUrl: platform.baseUrl,
  bootstrapKey,
  adminKey,
  tenant,
}));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  [database, dovecot] = await Promise.all([
    createTestDatabase('faults_kills'),
    startDovecot({ specialUseFolders: false }),
  ]);
  dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-faults-'));
  platform = await startPlatformProcesses(
    {
      MAILKEEP_DATABASE_URL: database.url,
      MAILKEEP_BOOTSTRAP_API_KEY: bootstrapKey,
      MAILKEEP_DATA_DIR: dataDir,
      // One message at a time per task: the run lasts long enough to be interrupted.
      MAILKEEP_CONNECTOR_MESSAGES_IN_FLIGHT: '1',
    },
    { mailServers: [dovecot] },
  );
  ({ tenantId: tenant, adminKey } = await createTenantWithAdmin(
    platform.baseUrl,
    bootstrapKey,
    'Faults Ltd',
  ));
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await dovecot?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A mailbox of MESSAGES distinct messages on Dovecot, and its IMAP profile and schedule. */
async function mailboxWithMail(user: string): Promise<{ mailboxId: string; scheduleId: string }> {
  dovecot.addUser(user, `${user}-pass`);
  for (let i = 0; i < MESSAGES; i++) {
    const body = randomBytes(90_000).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(
      `From: Sender ${i} <sender${i}@example.org>\r\nTo: ${user}@example.com\r\n` +
        `Subject: Quarterly figures ${i}\r\nMessage-ID: <${randomUUID()}@example.org>\r\n` +
        `Date: Mon, 7 Dec 2026 10:${String(i % 60).padStart(2, '0')}:00 +0000\r\n\r\n${body}\r\n`,
    );
    await dovecot.deliver(user, 'INBOX', raw);
  }
  const secret = await created<{ id: string }>('/secrets', {
    name: `${user} at dovecot`,
    type: 'basic',
    username: user,
    password: `${user}-pass`,
  });
  const mailbox = await created<{ id: string }>('/mailboxes', { primaryAddress: `${user}@example.com` });
  const profile = await created<{ id: string }>('/archiving-profiles', {
    name: `${user} IMAP`,
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
  const schedule = await created<{ id: string }>(`/archiving-profiles/${profile.id}/schedules`, {
    name: `${user} nightly`,
    timezone: 'UTC',
    recurrence: { type: 'daily', times: ['02:00'] },
  });
  return { mailboxId: mailbox.id, scheduleId: schedule.id };
}

async function getRun(runId: string): Promise<RunBody> {
  const run = await call<RunBody>('GET', `/tenants/${tenant}/runs/${runId}`);
  expect(run.status, JSON.stringify(run.body)).toBe(200);
  return run.body;
}

/**
 * Starts a run, waits until its first messages are archived, applies the fault, and waits until
 * the run has ended by itself (the api may be away during the fault: answers are retried).
 */
async function runThrough(scheduleId: string, fault: () => Promise<void>): Promise<RunBody> {
  const started = await call<RunBody>('POST', `/tenants/${tenant}/schedules/${scheduleId}/run`);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const runId = started.body.id;
  await waitFor(async () => ((await getRun(runId)).counters.messagesArchived ?? 0) > 0, {
    timeoutMs: 60_000,
    description: 'the first messages archived',
  });
  await fault();
  return waitFor(
    async () => {
      const run = await getRun(runId).catch(() => undefined);
      return run?.finishedAt ? run : undefined;
    },
    { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 500, description: `run ${runId} finished` },
  );
}

/**
 * Exactly once against the source: the catalog holds each of the server's messages once (no
 * duplicate rows, no missing one) and each downloads byte-identical to what the server sends.
 */
async function expectExactlyOnce(user: string, mailboxId: string): Promise<void> {
  const source = new Set<string>();
  for (const message of await dovecot.list(user, 'INBOX')) {
    source.add(sha256(await dovecot.rawSource(user, 'INBOX', message.uid)));
  }
  expect(source.size).toBe(MESSAGES);
  const messages = await waitFor(
    async () => {
      const listed = await catalogued(mailboxId);
      return listed.length >= MESSAGES ? listed : undefined;
    },
    { timeoutMs: 60_000, description: `${MESSAGES} messages catalogued` },
  );
  expect(messages).toHaveLength(MESSAGES);
  expect(new Set(messages.map((m) => m.sha256))).toEqual(source);
  for (const message of messages) {
    const raw = await download(message.id);
    expect(raw.status).toBe(200);
    expect(sha256(raw.bytes)).toBe(message.sha256);
  }
}

describe('SIGKILL mid-run, restart: exactly once against the source, the run ends by itself', () => {
  it('a connector worker', async () => {
    const { mailboxId, scheduleId } = await mailboxWithMail('worker');
    const run = await runThrough(scheduleId, () => platform.restart('connector-imap'));
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ mailboxesSucceeded: 1, messagesFailed: 0 });
    // What the killed attempt archived after its last progress event is seen again as duplicates
    // by the next attempt (decision 0006): archived + duplicates covers the mailbox exactly.
    expect(
      (run.counters.messagesArchived ?? 0) + (run.counters.duplicatesSkipped ?? 0),
    ).toBeGreaterThanOrEqual(MESSAGES);
    await expectExactlyOnce('worker', mailboxId);
  });

  it('the NATS server (back after 3 s with the same store)', async () => {
    const { mailboxId, scheduleId } = await mailboxWithMail('natsdown');
    const run = await runThrough(scheduleId, async () => {
      await platform.nats.kill();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await platform.nats.restart();
    });
    // Item 3 of issue 17: no message left behind with the task `succeeded`.
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ mailboxesSucceeded: 1, messagesFailed: 0 });
    await expectExactlyOnce('natsdown', mailboxId);
  });

  it('the catalog', async () => {
    const { mailboxId, scheduleId } = await mailboxWithMail('catalogdown');
    const run = await runThrough(scheduleId, () => platform.restart('catalog'));
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ messagesArchived: MESSAGES, messagesFailed: 0 });
    await expectExactlyOnce('catalogdown', mailboxId);
  });

  it('the scheduler', async () => {
    const { mailboxId, scheduleId } = await mailboxWithMail('schedulerdown');
    const run = await runThrough(scheduleId, () => platform.restart('scheduler'));
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ messagesArchived: MESSAGES, messagesFailed: 0 });
    await expectExactlyOnce('schedulerdown', mailboxId);
  });
});
