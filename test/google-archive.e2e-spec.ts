import { createHash } from 'node:crypto';

import {
  type FakeGmailMessage,
  type FakeGoogleDomain,
  type FakeGoogleUser,
  type GeneratedServiceAccountKey,
  type RunningGoogleFake,
  type RunningPlatform,
  seedGmailMailbox,
  startGoogleFake,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';
import { archiveApi, type CataloguedMessage, plainMessage, type RunBody } from './support/archive-api.js';

/**
 * The Google Workspace connector end to end (issue 20): the whole platform as `npm start` runs
 * it, the HTTPS fake of Google's token endpoint and Gmail (trusted through NODE_EXTRA_CA_CERTS,
 * set by the vitest globalSetup and passed on to the services), and only the REST API between.
 */
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const FULL = 'https://mail.google.com/';
let bootstrapKey = '';
let started: E2ePlatform;
let platform: RunningPlatform;
let fake: RunningGoogleFake;
let workspace: FakeGoogleDomain;
let delegatedKey: GeneratedServiceAccountKey;
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

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Messages of a fake mailbox an archive with default folder rules must hold: not Spam, Trash or Drafts. */
function archivable(user: FakeGoogleUser): FakeGmailMessage[] {
  return user.mailbox!.live().filter((m) => !['SPAM', 'TRASH', 'DRAFT'].some((l) => m.labelIds.has(l)));
}

/** Waits until the catalog holds exactly the expected messages of a mailbox (ingestion is asynchronous). */
async function expectArchived(
  mailboxId: string,
  expected: readonly FakeGmailMessage[],
): Promise<CataloguedMessage[]> {
  const rows = await cataloguedCount(mailboxId, expected.length);
  expect(rows).toHaveLength(expected.length);
  expect(new Set(rows.map((row) => row.sha256))).toEqual(new Set(expected.map((m) => sha256(m.raw))));
  return rows;
}

async function serviceAccountSecret(name: string, key: GeneratedServiceAccountKey): Promise<string> {
  return (
    await created<{ id: string }>('/secrets', {
      name,
      type: 'google-service-account',
      serviceAccountKey: key.json,
    })
  ).id;
}

const newMessage = (label: string): Buffer => plainMessage(label, 'northwind.example');

beforeAll(async () => {
  fake = await startGoogleFake();
  workspace = fake.addDomain('northwind.example');
  for (const [index, name] of ['alice', 'bob', 'carol', 'dave'].entries()) {
    seedGmailMailbox(workspace.addUser(name).mailbox!, {
      largeAttachmentBytes: 0,
      domain: `${name}.corpus.test`,
      seed: index + 1,
    });
  }
  delegatedKey = fake.addServiceAccount(workspace, { delegatedScopes: [READONLY, FULL] }).key;
  started = await startE2ePlatform({
    database: 'google_e2e',
    services: [...CORE_SERVICES, 'connector-google-workspace'],
    env: {
      MAILKEEP_GOOGLE_TOKEN_URL: fake.tokenUrl,
      MAILKEEP_GOOGLE_GMAIL_URL: fake.origin,
      MAILKEEP_GOOGLE_ADMIN_URL: fake.origin,
    },
    tenant: 'Northwind Archive',
  });
  ({ platform, bootstrapKey, tenant, adminKey: admin } = started);
}, 180_000);

afterAll(async () => {
  await started?.stop();
  await fake?.stop();
});

describe('the Google Workspace connector end to end', () => {
  it('archives three mailboxes byte for byte with labels as folders, then only what is new, without duplicates after an expired history id', async () => {
    const users = ['alice', 'bob', 'carol'].map((name) => workspace.user(`${name}@northwind.example`)!);
    const directory = await staticDirectory(
      'Northwind staff',
      users.map((user) => user.primaryEmail),
    );
    const mailboxes = new Map<FakeGoogleUser, string>(
      users.map((user, i) => [user, directory.mailboxIds[i]!]),
    );
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Northwind Gmail',
      type: 'google-workspace',
      mode: 'multiple',
      credentialsSecretId: await serviceAccountSecret('Northwind archiver key', delegatedKey),
      directoryServiceId: directory.directoryId,
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
    // One delegated token per mailbox (the subject differs), reused for every call of its task.
    expect(fake.counters.tokensIssued - tokensBefore).toBe(3);
    for (const user of users) {
      const rows = await expectArchived(mailboxes.get(user)!, archivable(user));
      const bySha = new Map(archivable(user).map((m) => [sha256(m.raw), m.raw]));
      for (const row of rows)
        expect((await download(row.id)).bytes.equals(bySha.get(row.sha256)!)).toBe(true);
      const folders = new Set(rows.map((row) => row.folder));
      expect(folders).toEqual(new Set(['Inbox', 'Sent', 'Projects/2026']));
      // The message under three labels is one row listing all three; state labels are no folders.
      const multi = rows.filter((row) => row.folders.length > 1);
      expect(multi.map((row) => row.folders)).toEqual([['Inbox', 'Receipts', 'Projects/2026']]);
      expect(rows.every((row) => row.folders[0] === row.folder)).toBe(true);
    }

    const second = await runToEnd(schedule);
    expect(second.counters).toMatchObject({
      mailboxesSucceeded: 3,
      messagesArchived: 0,
      duplicatesSkipped: 0,
      messagesFailed: 0,
    });

    const [alice, bob] = users as [FakeGoogleUser, FakeGoogleUser];
    const listsBefore = fake.counters.route('messages.list');
    alice.mailbox!.addMessage(newMessage('a1'), ['INBOX', 'UNREAD']);
    alice.mailbox!.addMessage(newMessage('a2'), ['Projects/2026']);
    alice.mailbox!.addMessage(newMessage('a-spam'), ['SPAM']);
    bob.mailbox!.addMessage(newMessage('b1'), ['SENT']);
    const third = await runToEnd(schedule);
    expect(third.counters).toMatchObject({ mailboxesSucceeded: 3, messagesArchived: 3, messagesFailed: 0 });
    // Exactly the new messages, found through history: no mailbox was listed again.
    expect(fake.counters.route('messages.list')).toBe(listsBefore);
    await expectArchived(mailboxes.get(alice)!, archivable(alice));
    await expectArchived(mailboxes.get(bob)!, archivable(bob));

    alice.mailbox!.expireHistory();
    alice.mailbox!.addMessage(newMessage('a3'), ['INBOX']);
    const fourth = await runToEnd(schedule);
    expect(fourth, JSON.stringify(fourth)).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 1, messagesFailed: 0 },
    });
    expect(fake.counters.route('messages.list')).toBeGreaterThan(listsBefore);
    // expectArchived counts rows: a second row for any relisted message would fail it.
    await expectArchived(mailboxes.get(alice)!, archivable(alice));
  }, 300_000);

  it('archives completely while 30% of Gmail calls answer quota errors, then deletes exactly the archived unstarred messages', async () => {
    const dave = workspace.user('dave@northwind.example')!;
    const mailbox = await created<{ id: string }>('/mailboxes', {
      primaryAddress: 'dave.archive@northwind.example',
    });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Dave journal',
      type: 'google-workspace',
      mode: 'single',
      credentialsSecretId: await serviceAccountSecret('Dave archiver key', delegatedKey),
      mailboxId: mailbox.id,
      sourceMailbox: dave.primaryEmail,
      deleteInSource: true,
    });
    const tested = await call<{ success: boolean; steps: { name: string; status: string }[] }>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profile.id}/test-connection`,
      {},
    );
    expect(tested.body.success, JSON.stringify(tested.body)).toBe(true);
    expect(tested.body.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']);

    const expected = archivable(dave);
    const starred = expected.filter((m) => m.labelIds.has('STARRED'));
    expect(starred).toHaveLength(1);
    const quotaBefore = fake.counters.quotaErrors;
    fake.setFaults({ quotaErrorFraction: 0.3, seed: 7 });
    let run: RunBody;
    try {
      run = await runToEnd(await dailySchedule(profile.id));
    } finally {
      fake.setFaults({});
    }
    expect(run, JSON.stringify(run)).toMatchObject({
      status: 'succeeded',
      counters: { mailboxesSucceeded: 1, messagesArchived: expected.length, messagesFailed: 0 },
    });
    expect(fake.counters.quotaErrors - quotaBefore).toBeGreaterThanOrEqual(3);
    await expectArchived(mailbox.id, expected);
    // Deleted: every archived message but the starred one; Spam, Trash and Drafts were never archived and stay.
    expect(new Set(fake.counters.deletedIds)).toEqual(
      new Set(expected.filter((m) => !m.labelIds.has('STARRED')).map((m) => m.id)),
    );
    expect(
      dave
        .mailbox!.live()
        .map((m) => m.id)
        .sort(),
    ).toEqual(
      [
        ...starred,
        ...dave.mailbox!.live().filter((m) => ['SPAM', 'TRASH', 'DRAFT'].some((l) => m.labelIds.has(l))),
      ]
        .map((m) => m.id)
        .sort(),
    );
  }, 300_000);

  it('reports a key without domain-wide delegation as an authorization failure after one token request, and does not retry the task', async () => {
    const undelegated = fake.addServiceAccount(workspace).key;
    const mailbox = await created<{ id: string }>('/mailboxes', {
      primaryAddress: 'nodelegation@northwind.example',
    });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Not delegated',
      type: 'google-workspace',
      mode: 'single',
      credentialsSecretId: await serviceAccountSecret('Key without delegation', undelegated),
      mailboxId: mailbox.id,
      sourceMailbox: 'alice@northwind.example',
    });
    const before = fake.counters.tokenRequests;
    const tested = await call<{ success: boolean; error?: { category: string; serverMessage: string } }>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profile.id}/test-connection`,
      {},
    );
    expect(tested.body).toMatchObject({ success: false, error: { category: 'authorization' } });
    expect(tested.body.error?.serverMessage).toMatch(/^unauthorized_client: Client is unauthorized/);
    const run = await runToEnd(await dailySchedule(profile.id));
    expect(run, JSON.stringify(run)).toMatchObject({
      status: 'failed',
      tasks: [{ status: 'failed', attempts: 1 }],
    });
    // The test connection asked once; the task was answered from the remembered refusal or asked
    // once more in its own process, never in a loop.
    expect(fake.counters.tokenRequests - before).toBeLessThanOrEqual(2);
    expect(run.tasks[0]?.lastError).toMatch(/unauthorized_client/);
  }, 120_000);
});
