import { createHash, randomBytes } from 'node:crypto';

import {
  type FakeApplication,
  type FakeMessage,
  type FakeTenant,
  type FakeUser,
  generateApplicationCertificate,
  type RunningGraphFake,
  type RunningPlatform,
  seedMailbox,
  startGraphFake,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';
import { archiveApi, type CataloguedMessage, plainMessage, type RunBody } from './support/archive-api.js';

/**
 * The Microsoft 365 connector end to end (issue 19): the whole platform as `npm start` runs it,
 * the HTTPS fake of the identity platform and Graph (trusted through NODE_EXTRA_CA_CERTS, set by
 * the vitest globalSetup and passed on to the services), and only the REST API in between.
 */
let bootstrapKey = '';
const clientSecret = `Qx8Q~${randomBytes(24).toString('base64url')}`;
const certificate = generateApplicationCertificate('CN=mailkeep-e2e');
let started: E2ePlatform;
let platform: RunningPlatform;
let fake: RunningGraphFake;
let m365: FakeTenant;
let app: FakeApplication;
let tenant = '';
let admin = '';

const { call, created, download, cataloguedCount, runToEnd, dailySchedule, staticDirectory } = archiveApi(
  () => ({
    baseUrl: platform.baseUrl,
    bootstrapKey,
    adminKey: admin,
    tenant,
  }),
);

/** Waits until the catalog holds exactly the expected messages of a mailbox (ingestion is asynchronous). */
async function expectArchived(
  mailboxId: string,
  expected: readonly FakeMessage[],
): Promise<CataloguedMessage[]> {
  const rows = await cataloguedCount(mailboxId, expected.length);
  expect(rows).toHaveLength(expected.length);
  expect(new Set(rows.map((row) => row.sha256))).toEqual(new Set(expected.map((m) => sha256(m.raw))));
  return rows;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Messages of a fake mailbox an archive with default folder rules must hold. */
function archivable(user: FakeUser): FakeMessage[] {
  const mailbox = user.mailbox!;
  const excludedFolders = new Set(
    ['deleteditems', 'junkemail', 'drafts', 'outbox'].map((n) => mailbox.wellKnown(n as 'drafts').id),
  );
  const hidden = new Set([...mailbox.folders.values()].filter((f) => f.isHidden).map((f) => f.id));
  return [...mailbox.messages.values()].filter(
    (m) => !m.deleted && !excludedFolders.has(m.folderId) && !hidden.has(m.folderId),
  );
}

const newMessage = (label: string): Buffer => plainMessage(label, 'contoso.example');

beforeAll(async () => {
  fake = await startGraphFake();
  m365 = fake.addTenant('contoso.example');
  app = m365.addApplication({
    secrets: [clientSecret],
    certificates: [certificate.certificatePem],
    permissions: ['Mail.ReadWrite', 'User.Read.All'],
  });
  for (const [index, name] of ['alice', 'bob', 'carol', 'dave'].entries()) {
    seedMailbox(m365.addUser(name).mailbox!, {
      largeAttachmentBytes: 0,
      domain: `${name}.corpus.test`,
      seed: index + 1,
    });
  }
  started = await startE2ePlatform({
    database: 'm365_e2e',
    services: [...CORE_SERVICES, 'connector-m365'],
    env: {
      MAILKEEP_M365_AUTHORITY_URL: fake.origin,
      MAILKEEP_M365_GRAPH_URL: fake.origin,
    },
    tenant: 'Contoso Archive',
  });
  ({ platform, bootstrapKey, tenant, adminKey: admin } = started);
}, 180_000);

afterAll(async () => {
  await started?.stop();
  await fake?.stop();
});

describe('the Microsoft 365 connector end to end', () => {
  it('archives three mailboxes of a directory byte for byte, then only what is new, without duplicates after an expired delta token', async () => {
    const users = ['alice', 'bob', 'carol'].map((name) => m365.user(`${name}@contoso.example`)!);
    const directory = await staticDirectory(
      'Contoso staff',
      users.map((user) => user.userPrincipalName),
    );
    const mailboxes = new Map<FakeUser, string>(users.map((user, i) => [user, directory.mailboxIds[i]!]));
    const secret = await created<{ id: string }>('/secrets', {
      name: 'Contoso archiver secret',
      type: 'client-secret',
      clientSecret,
    });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Contoso M365',
      type: 'm365',
      mode: 'multiple',
      credentialsSecretId: secret.id,
      directoryServiceId: directory.directoryId,
      applicationId: app.clientId,
      directoryId: m365.id,
    });
    const schedule = await dailySchedule(profile.id);
    const tokensBefore = fake.counters.tokensIssued;

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
    // One token for the three tasks of the tenant.
    expect(fake.counters.tokensIssued - tokensBefore).toBe(1);
    expect(fake.counters.maxInFlightPerMailbox.size).toBeGreaterThan(0);
    expect(Math.max(...fake.counters.maxInFlightPerMailbox.values())).toBeLessThanOrEqual(4);
    for (const user of users) {
      const rows = await expectArchived(mailboxes.get(user)!, archivable(user));
      const bySha = new Map(archivable(user).map((m) => [sha256(m.raw), m.raw]));
      for (const row of rows)
        expect((await download(row.id)).bytes.equals(bySha.get(row.sha256)!)).toBe(true);
      expect(rows.some((row) => row.folder === 'Projects/2026/Q4 Reports')).toBe(true);
    }

    const second = await runToEnd(schedule);
    expect(second.counters).toMatchObject({
      mailboxesSucceeded: 3,
      messagesArchived: 0,
      duplicatesSkipped: 0,
      messagesFailed: 0,
    });

    const [alice, bob] = users as [FakeUser, FakeUser];
    alice.mailbox!.addMessage('inbox', newMessage('a1'));
    alice.mailbox!.addMessage('Projects/2026/Q4 Reports', newMessage('a2'));
    bob.mailbox!.addMessage('sentitems', newMessage('b1'));
    const third = await runToEnd(schedule);
    expect(third.counters).toMatchObject({ mailboxesSucceeded: 3, messagesArchived: 3, messagesFailed: 0 });
    await expectArchived(mailboxes.get(alice)!, archivable(alice));

    alice.mailbox!.expireDeltaTokens();
    alice.mailbox!.addMessage('inbox', newMessage('a3'));
    const fourth = await runToEnd(schedule);
    expect(fourth, JSON.stringify(fourth)).toMatchObject({
      status: 'succeeded',
      counters: { messagesFailed: 0 },
    });
    // Every folder of alice was read again: one new message, and no second row for the others.
    expect(fourth.counters['messagesArchived']).toBeGreaterThanOrEqual(1);
    await expectArchived(mailboxes.get(alice)!, archivable(alice));
    // expectArchived counts rows: a second row for any message would fail it.
  }, 300_000);

  it('archives with a certificate secret while 30% of Graph requests are throttled, losing nothing and honouring every wait', async () => {
    const dave = m365.user('dave@contoso.example')!;
    const mailbox = await created<{ id: string }>('/mailboxes', {
      primaryAddress: 'dave.archive@contoso.example',
    });
    const secret = await created<{ id: string }>('/secrets', {
      name: 'Contoso archiver certificate',
      type: 'certificate',
      certificatePem: certificate.certificatePem,
      privateKeyPem: certificate.privateKeyPem,
    });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Dave M365',
      type: 'm365',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      sourceMailbox: dave.userPrincipalName,
      applicationId: app.clientId,
      directoryId: m365.id,
    });
    const tested = await call<{ success: boolean; steps: { name: string; status: string }[] }>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profile.id}/test-connection`,
      {},
    );
    expect(tested.body.success, JSON.stringify(tested.body)).toBe(true);
    expect(tested.body.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']);

    const throttledBefore = fake.counters.throttled;
    fake.setFaults({ throttleFraction: 0.3, retryAfterSeconds: 1, seed: 30 });
    let run: RunBody;
    try {
      run = await runToEnd(await dailySchedule(profile.id));
    } finally {
      fake.setFaults({});
    }
    expect(run, JSON.stringify(run)).toMatchObject({
      status: 'succeeded',
      counters: { mailboxesSucceeded: 1, messagesArchived: archivable(dave).length, messagesFailed: 0 },
    });
    expect(fake.counters.throttled - throttledBefore).toBeGreaterThanOrEqual(3);
    expect(fake.counters.earlyRetries).toBe(0);
    await expectArchived(mailbox.id, archivable(dave));
  }, 300_000);

  it('reports a wrong client secret as an authentication failure after one token request, and does not retry the task', async () => {
    const mailbox = await created<{ id: string }>('/mailboxes', {
      primaryAddress: 'wrong.secret@contoso.example',
    });
    const secret = await created<{ id: string }>('/secrets', {
      name: 'Old secret',
      type: 'client-secret',
      clientSecret: 'Qx8Q~this-secret-was-rotated-away',
    });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Wrong secret',
      type: 'm365',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      sourceMailbox: 'alice@contoso.example',
      applicationId: app.clientId,
      directoryId: m365.id,
    });
    const before = fake.counters.tokenRequests;
    const tested = await call<{ success: boolean; error?: { category: string; serverMessage: string } }>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profile.id}/test-connection`,
      {},
    );
    expect(tested.body).toMatchObject({ success: false, error: { category: 'authentication' } });
    expect(tested.body.error?.serverMessage).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    const run = await runToEnd(await dailySchedule(profile.id));
    expect(run, JSON.stringify(run)).toMatchObject({
      status: 'failed',
      tasks: [{ status: 'failed', attempts: 1 }],
    });
    expect(fake.counters.tokenRequests - before).toBe(1);
  }, 120_000);
});
