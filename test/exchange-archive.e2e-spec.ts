import { createHash, randomBytes } from 'node:crypto';

import {
  type EwsItem,
  type EwsMailbox,
  type RunningEwsFake,
  type RunningPlatform,
  seedEwsMailbox,
  startEwsFake,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';
import { archiveApi, type CataloguedMessage, type RunBody } from './support/archive-api.js';

/**
 * The Exchange Server (EWS) connector end to end (issue 21): the whole platform as `npm start`
 * runs it, the HTTPS EWS fake (trusted through NODE_EXTRA_CA_CERTS, set by the vitest globalSetup
 * and passed on to the services, reached through the egress policy with an allowance for its
 * port), and only the REST API in between.
 */
let bootstrapKey = '';
const servicePassword = `Ews!${randomBytes(12).toString('base64url')}`;
let started: E2ePlatform;
let platform: RunningPlatform;
let fake: RunningEwsFake;
let tenant = '';
let admin = '';

const { call, created, download, cataloguedCount, runToEnd } = archiveApi(() => ({
  baseUrl: platform.baseUrl,
  bootstrapKey,
  adminKey: admin,
  tenant,
}));

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Items of a fake mailbox an archive with default folder rules must hold. */
function archivable(mailbox: EwsMailbox): EwsItem[] {
  const skipped = new Set(
    [...mailbox.folders.values()]
      .filter(
        (f) =>
          f.hidden ||
          f.search ||
          ['deleteditems', 'junkemail', 'drafts', 'outbox'].includes(f.distinguished ?? ''),
      )
      .map((f) => f.id),
  );
  return [...mailbox.items.values()].filter((item) => !item.deleted && !skipped.has(item.folderId));
}

/** Waits until the catalog holds exactly the expected messages of a mailbox (ingestion is asynchronous). */
async function expectArchived(mailboxId: string, expected: readonly EwsItem[]): Promise<CataloguedMessage[]> {
  const rows = await cataloguedCount(mailboxId, expected.length);
  expect(rows).toHaveLength(expected.length);
  expect(new Set(rows.map((row) => row.sha256))).toEqual(new Set(expected.map((m) => sha256(m.mime))));
  return rows;
}

async function scheduleOf(profileId: string): Promise<string> {
  return (
    await created<{ id: string }>(`/archiving-profiles/${profileId}/schedules`, {
      name: `nightly ${profileId.slice(0, 8)}`,
      timezone: 'UTC',
      recurrence: { type: 'daily', times: ['02:00'] },
    })
  ).id;
}

function newMessage(label: string): Buffer {
  return Buffer.from(
    [
      'From: Sender <sender@fabrikam.example>',
      'To: Staff <staff@contoso.example>',
      `Subject: New message ${label}`,
      'Date: Mon, 07 Dec 2026 06:00:00 +0000',
      `Message-ID: <${label}.${randomBytes(6).toString('hex')}@fabrikam.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body of ${label}.`,
      '',
    ].join('\r\n'),
  );
}

async function basicSecret(name: string, username: string, password = servicePassword): Promise<string> {
  return (await created<{ id: string }>('/secrets', { name, type: 'basic', username, password })).id;
}

interface TestResult {
  success: boolean;
  steps: { name: string; status: string; detail?: string }[];
  error?: { category: string; message: string; serverMessage: string };
}

async function testConnection(profileId: string): Promise<TestResult> {
  const reply = await call<TestResult>(
    'POST',
    `/tenants/${tenant}/archiving-profiles/${profileId}/test-connection`,
    {},
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

/** A single-mode profile impersonating `sourceMailbox`, archived into a mailbox of its own. */
async function singleProfile(
  name: string,
  secretId: string,
  sourceMailbox: string,
  extra: Record<string, unknown> = {},
): Promise<{ profileId: string; mailboxId: string }> {
  const mailbox = await created<{ id: string }>('/mailboxes', {
    primaryAddress: `${name.toLowerCase().replace(/\W+/g, '.')}@archive.contoso.example`,
  });
  const profile = await created<{ id: string }>('/archiving-profiles', {
    name,
    type: 'exchange',
    mode: 'single',
    credentialsSecretId: secretId,
    mailboxId: mailbox.id,
    serverName: '127.0.0.1',
    sourceMailbox,
    timeoutSeconds: 30,
    ...extra,
  });
  return { profileId: profile.id, mailboxId: mailbox.id };
}

beforeAll(async () => {
  fake = await startEwsFake();
  fake.addServiceAccount({
    userName: 'svc-archive',
    userPrincipalName: 'svc-archive@contoso.example',
    password: servicePassword,
    impersonates: ['alice', 'bob', 'carol', 'dave'].map((n) => `${n}@contoso.example`),
  });
  for (const [index, name] of ['alice', 'bob', 'carol', 'dave', 'erin'].entries()) {
    seedEwsMailbox(fake.addMailbox(`${name}@contoso.example`), {
      largeAttachmentBytes: 0,
      domain: `${name}.corpus.test`,
      seed: index + 1,
    });
  }
  started = await startE2ePlatform({
    database: 'exchange_e2e',
    services: [...CORE_SERVICES, 'connector-exchange'],
    env: {
      // The fake listens on loopback, which the default egress policy refuses: allow its port only.
      MAILKEEP_EGRESS_ALLOW: `127.0.0.1:${fake.port}`,
      MAILKEEP_EXCHANGE_URL_TEMPLATE: `https://{serverName}:${fake.port}/EWS/Exchange.asmx`,
    },
    tenant: 'Contoso Archive',
  });
  ({ platform, bootstrapKey, tenant, adminKey: admin } = started);
}, 240_000);

afterAll(async () => {
  await started?.stop();
  await fake?.stop();
});

describe('the Exchange Server (EWS) connector end to end', () => {
  it('archives three impersonated mailboxes over NTLM byte for byte, then nothing, then only what is new, without duplicates after an invalid sync state', async () => {
    const users = ['alice', 'bob', 'carol'].map((name) => fake.mailbox(`${name}@contoso.example`)!);
    const directory = await created<{ id: string }>('/directory-services', {
      name: 'Contoso staff',
      type: 'static',
    });
    const mailboxes = new Map<EwsMailbox, string>();
    for (const user of users) {
      const mailbox = await created<{ id: string }>('/mailboxes', {
        primaryAddress: user.smtpAddress,
        directoryServiceId: directory.id,
      });
      mailboxes.set(user, mailbox.id);
    }
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Contoso Exchange',
      type: 'exchange',
      mode: 'multiple',
      credentialsSecretId: await basicSecret('Contoso archiver', `${fake.netbiosDomain}\\svc-archive`),
      directoryServiceId: directory.id,
      serverName: '127.0.0.1',
      timeoutSeconds: 30,
    });
    const schedule = await scheduleOf(profile.id);
    const basicBefore = fake.counters.basicLogins;

    const first = await runToEnd(schedule);
    const expectedTotal = users.reduce((sum, user) => sum + archivable(user).length, 0);
    expect(first, JSON.stringify(first)).toMatchObject({
      status: 'succeeded',
      counters: {
        mailboxesTotal: 3,
        mailboxesSucceeded: 3,
        messagesArchived: expectedTotal,
        messagesFailed: 0,
      },
    });
    // The server offers NTLM first: the connector took it, never sent Basic, and named the
    // impersonated mailbox in X-AnchorMailbox on every request.
    expect(fake.counters.ntlmLogins).toBeGreaterThan(0);
    expect(fake.counters.basicLogins - basicBefore).toBe(0);
    expect(fake.counters.anchorMismatches).toBe(0);
    expect(fake.counters.maxGetItemIds).toBe(1);
    for (const user of users) {
      const rows = await expectArchived(mailboxes.get(user)!, archivable(user));
      const bySha = new Map(archivable(user).map((m) => [sha256(m.mime), m.mime]));
      for (const row of rows)
        expect((await download(row.id)).bytes.equals(bySha.get(row.sha256)!)).toBe(true);
      expect(rows.some((row) => row.folder === 'Inbox/Projects/2026 Q4')).toBe(true);
    }

    const second = await runToEnd(schedule);
    expect(second.counters).toMatchObject({
      mailboxesSucceeded: 3,
      messagesArchived: 0,
      duplicatesSkipped: 0,
      messagesFailed: 0,
    });

    const [alice, bob] = users as [EwsMailbox, EwsMailbox];
    alice.addMessage(alice.distinguished('inbox'), newMessage('a1'));
    alice.addMessage(alice.addFolder('Inbox/Projects/2026 Q4'), newMessage('a2'));
    bob.addMessage(bob.distinguished('sentitems'), newMessage('b1'));
    const third = await runToEnd(schedule);
    expect(third.counters).toMatchObject({ mailboxesSucceeded: 3, messagesArchived: 3, messagesFailed: 0 });
    await expectArchived(mailboxes.get(alice)!, archivable(alice));

    const invalidBefore = fake.counters.invalidSyncStates;
    alice.invalidateSyncStates();
    alice.addMessage(alice.distinguished('inbox'), newMessage('a3'));
    const fourth = await runToEnd(schedule);
    expect(fourth, JSON.stringify(fourth)).toMatchObject({
      status: 'succeeded',
      counters: { messagesFailed: 0 },
    });
    expect(fake.counters.invalidSyncStates - invalidBefore).toBeGreaterThan(0);
    // Every folder of alice was read again: the new message, and no second row for the others.
    expect(fourth.counters['messagesArchived']).toBeGreaterThanOrEqual(1);
    await expectArchived(mailboxes.get(alice)!, archivable(alice));
  }, 300_000);

  it('archives over Basic while 30% of EWS calls answer ErrorServerBusy, losing nothing, honouring every back-off, and hard-deletes exactly the archived unflagged messages', async () => {
    const dave = fake.mailbox('dave@contoso.example')!;
    fake.setAuthSchemes(['basic']);
    try {
      const { profileId, mailboxId } = await singleProfile(
        'Dave Exchange',
        await basicSecret('Dave archiver', 'svc-archive@contoso.example'),
        dave.smtpAddress,
        { deleteInSource: true },
      );
      const tested = await testConnection(profileId);
      expect(tested.success, JSON.stringify(tested)).toBe(true);
      expect(tested.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(tested.steps[1]?.detail).toBe('authenticated with Basic');

      const expected = archivable(dave);
      const flagged = expected.filter((item) => item.flagged);
      expect(flagged).toHaveLength(1);
      const excludedBefore = [...dave.items.values()].filter((item) => !expected.includes(item));
      const busyBefore = fake.counters.serverBusy;
      fake.setFaults({ busyFraction: 0.3, busyShape: 'mixed', backOffMilliseconds: 40, seed: 30 });
      let run: RunBody;
      try {
        run = await runToEnd(await scheduleOf(profileId));
      } finally {
        fake.setFaults({});
      }
      expect(run, JSON.stringify(run)).toMatchObject({
        status: 'succeeded',
        counters: { mailboxesSucceeded: 1, messagesArchived: expected.length, messagesFailed: 0 },
      });
      expect(fake.counters.serverBusy - busyBefore).toBeGreaterThanOrEqual(3);
      expect(fake.counters.earlyRetries).toBe(0);
      await expectArchived(mailboxId, expected);
      // P10: every archived message is gone from the source except the flagged one; nothing the
      // archive skipped was touched; every delete was a HardDelete.
      const remaining = [...dave.items.values()].filter((item) => !item.deleted);
      expect(new Set(remaining)).toEqual(new Set([...flagged, ...excludedBefore]));
      expect(fake.counters.deletes.every((d) => d.deleteType === 'HardDelete')).toBe(true);
    } finally {
      fake.setAuthSchemes(['ntlm', 'basic']);
    }
  }, 300_000);

  it('reports a wrong password as an authentication failure and fails the task after one attempt', async () => {
    const { profileId } = await singleProfile(
      'Wrong password',
      await basicSecret('Old password', `${fake.netbiosDomain}\\svc-archive`, 'Summer2025!rotated'),
      'alice@contoso.example',
    );
    const tested = await testConnection(profileId);
    expect(tested).toMatchObject({ success: false, error: { category: 'authentication' } });
    expect(tested.steps.map((s) => s.status)).toEqual(['ok', 'failed', 'skipped', 'skipped']);
    const failuresBefore = fake.counters.authFailures;
    const run = await runToEnd(await scheduleOf(profileId));
    expect(run, JSON.stringify(run)).toMatchObject({
      status: 'failed',
      tasks: [{ status: 'failed', attempts: 1 }],
    });
    // One refused NTLM handshake for the one attempt: no retry loop that could lock the account.
    expect(fake.counters.authFailures - failuresBefore).toBe(1);
  }, 120_000);

  it('categorises a mailbox outside the impersonation scope and an unknown mailbox from Exchange’s own answers', async () => {
    const secret = await basicSecret('Scoped archiver', `${fake.netbiosDomain}\\svc-archive`);
    const denied = await singleProfile('Erin Exchange', secret, 'erin@contoso.example');
    const deniedResult = await testConnection(denied.profileId);
    expect(deniedResult).toMatchObject({ success: false, error: { category: 'authorization' } });
    expect(deniedResult.error?.serverMessage).toMatch(
      /^ErrorImpersonateUserDenied: The account does not have permission/,
    );
    const unknown = await singleProfile('Nobody Exchange', secret, 'nobody@contoso.example');
    const unknownResult = await testConnection(unknown.profileId);
    expect(unknownResult).toMatchObject({ success: false, error: { category: 'configuration' } });
    expect(unknownResult.error?.serverMessage).toMatch(/^ErrorNonExistentMailbox/);
    const run = await runToEnd(await scheduleOf(denied.profileId));
    expect(run, JSON.stringify(run)).toMatchObject({
      status: 'failed',
      tasks: [{ status: 'failed', attempts: 1 }],
    });
  }, 120_000);
});
