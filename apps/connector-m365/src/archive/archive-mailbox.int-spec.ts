import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { type ArchiveTarget, type ConnectorWorker } from '@mailkeep/connector-kit';
import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  type MessageArchivedEvent,
} from '@mailkeep/contracts';
import { Egress } from '@mailkeep/egress';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import {
  archiveCommand,
  archiveTaskOutcome,
  type ArchiveTaskOutcome,
  type FakeApplication,
  type FakeMessage,
  type FakeTenant,
  type FakeUser,
  FlakyBlobStore,
  largeMessage,
  mailboxPayload,
  peakMemoryGrowth,
  readBlob,
  type RunningGraphFake,
  runTestConnectorWorker,
  seedMailbox,
  type ServiceHarness,
  startGraphFake,
  startServiceHarness,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { m365Connector } from '../m365-connector.js';
import { GraphAccess } from '../protocol/graph-access.js';
import { m365Profile } from '../test-support/fixtures.js';

/**
 * The connector through the real worker loop, a private NATS with JetStream, the filesystem blob
 * store and the HTTPS Graph fake: failed messages remembered with the cursor and retried, delete
 * in source of exactly the archived unflagged messages, folder rules, memory for a 150 MB message.
 */
/** Redeliveries within the test's time: 50 ms instead of the production back-off. */
const FAST_RETRY = { maxDeliver: 3, backoffMs: [50] };
/** A task here archives at most ~160 MB from memory; 45 s is far above that on a loaded 2-core box. */
const TASK_TIMEOUT_MS = 45_000;
const secret = `Qx8Q~${randomBytes(24).toString('base64url')}`;

let harness: ServiceHarness;
let logger: Logger;
let bus: MessageBus;
let fake: RunningGraphFake;
let m365: FakeTenant;
let app: FakeApplication;
let blobs: FlakyBlobStore;
let worker: ConnectorWorker;
const targets = new Map<string, ArchiveTarget>();

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

interface Target {
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly profile: ArchivingProfile;
}

function target(user: FakeUser, profile: Partial<ArchivingProfile> = {}): Target {
  return {
    tenantId: randomUUID(),
    mailboxId: randomUUID(),
    profile: m365Profile({
      applicationId: app.clientId,
      directoryId: m365.id,
      sourceMailbox: user.userPrincipalName,
      ...profile,
    }),
  };
}

async function archive(t: Target): Promise<ArchiveTaskOutcome> {
  const command = archiveCommand({ tenantId: t.tenantId, mailboxId: t.mailboxId, profileId: t.profile.id });
  targets.set(t.mailboxId, {
    profile: t.profile,
    mailbox: mailboxPayload(`archive-${t.mailboxId.slice(0, 8)}@contoso.example`, t.mailboxId),
    credentials: { id: randomUUID(), type: 'client-secret', clientSecret: secret },
  });
  await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.m365, command, { msgId: command.taskId });
  return archiveTaskOutcome(bus, command.taskId, TASK_TIMEOUT_MS);
}

/** Every event's blob equals the fake's `$value` of the message it names. */
async function expectByteExact(
  tenantId: string,
  events: readonly MessageArchivedEvent[],
  messages: readonly FakeMessage[],
) {
  const byIdentity = new Map(messages.map((m) => [`m365:${m.immutableId}`, m]));
  for (const event of events) {
    const message = byIdentity.get(event.sourceIdentity);
    expect(message, event.sourceIdentity).toBeDefined();
    expect(event.sha256).toBe(sha256(message!.raw));
    expect((await readBlob(blobs, tenantId, event.sha256)).equals(message!.raw)).toBe(true);
  }
}

const note = (subject: string): Buffer =>
  Buffer.from(
    `From: a@fabrikam.example\r\nTo: b@contoso.example\r\nSubject: ${subject}\r\nMessage-ID: <${randomUUID()}@fabrikam.example>\r\n\r\nHello.\r\n`,
  );

beforeAll(async () => {
  [harness, fake] = await Promise.all([
    startServiceHarness({ name: 'connector-m365', blobs: true }),
    startGraphFake(),
  ]);
  ({ bus, logger } = harness);
  m365 = fake.addTenant('contoso.example');
  app = m365.addApplication({ secrets: [secret] });
  blobs = new FlakyBlobStore(harness.blobs);
  const access = new GraphAccess({ authorityUrl: fake.origin, graphUrl: fake.origin }, 16);
  worker = await runTestConnectorWorker({
    connector: m365Connector(access),
    bus,
    blobs,
    logger,
    // Graph's endpoints are the operator's settings, not tenant hosts: the default policy.
    egress: new Egress(),
    targets,
    retry: FAST_RETRY,
    concurrency: 2,
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop({ graceMs: 100 });
  await Promise.all([harness?.close(), fake?.stop()]);
});

describe('archiving a Microsoft 365 mailbox', () => {
  it('records messages whose download broke, moves on, and archives them first on the next run', async () => {
    const user = m365.addUser('broken.bodies');
    const seeded = seedMailbox(user.mailbox!, { largeAttachmentBytes: 0, domain: 'broken.test' });
    const t = target(user);
    fake.setFaults({ brokenBodyFraction: 0.3, seed: 4 });
    let first;
    try {
      first = await archive(t);
    } finally {
      fake.setFaults({});
    }
    expect(fake.counters.brokenBodies).toBeGreaterThan(0);
    expect(first.finished).toMatchObject({ status: 'succeeded', attempts: 1 });
    const failed = first.finished.counters.messagesFailed;
    expect(failed).toBeGreaterThan(0);
    expect(first.finished.counters.messagesArchived + failed).toBe(seeded.archivable.length);
    const deltasBefore = fake.counters.route('messages/delta');

    const second = await archive(t);
    expect(second.finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: failed, messagesFailed: 0 },
    });
    await expectByteExact(t.tenantId, [...first.events, ...second.events], seeded.archivable);
    expect(new Set([...first.events, ...second.events].map((e) => e.sourceIdentity)).size).toBe(
      seeded.archivable.length,
    );
    // The second run followed each folder's deltaLink once and found nothing new there.
    expect(fake.counters.route('messages/delta') - deltasBefore).toBeLessThanOrEqual(8);

    const third = await archive(t);
    expect(third.finished.counters).toMatchObject({ messagesArchived: 0, messagesFailed: 0 });
  });

  it('holds the cursor when storage fails, so the retried task archives what was missed', async () => {
    const user = m365.addUser('storage.outage');
    const seeded = seedMailbox(user.mailbox!, { largeAttachmentBytes: 0, domain: 'outage.test' });
    const t = target(user);
    blobs.failNext(t.tenantId, 3);
    const first = await archive(t);
    // The first delivery failed on storage and was redelivered; the second found every message.
    expect(first.finished).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      counters: { messagesFailed: 0 },
    });
    expect(new Set(first.events.map((e) => e.sourceIdentity))).toEqual(
      new Set(seeded.archivable.map((m) => `m365:${m.immutableId}`)),
    );
    await expectByteExact(t.tenantId, first.events, seeded.archivable);
    const second = await archive(t);
    expect(second.finished.counters).toMatchObject({ messagesArchived: 0, messagesFailed: 0 });
  });

  it('deletes in source exactly the archived messages, never a flagged one', async () => {
    const user = m365.addUser('journal');
    const seeded = seedMailbox(user.mailbox!, { largeAttachmentBytes: 0, domain: 'journal.test' });
    const t = target(user, { deleteInSource: true });
    const { finished, events } = await archive(t);
    expect(finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: seeded.archivable.length, messagesFailed: 0 },
    });
    const unflagged = seeded.archivable.filter((m) => m.flagStatus !== 'flagged');
    expect(new Set(fake.counters.permanentDeletes)).toEqual(new Set(unflagged.map((m) => m.immutableId)));
    expect(user.mailbox!.message(seeded.flagged.id)).toBeDefined();
    for (const message of seeded.excluded) expect(user.mailbox!.message(message.id)).toBeDefined();
    await expectByteExact(t.tenantId, events, seeded.archivable);

    // The next delta reports every deleted message as `@removed`: ignored, not fetched again.
    const valuesBefore = fake.counters.route('messages/$value');
    const next = await archive(t);
    expect(next.finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 0, messagesFailed: 0 },
    });
    expect(fake.counters.route('messages/$value')).toBe(valuesBefore);
  });

  it('applies include and exclude rules on full folder paths', async () => {
    const user = m365.addUser('rules');
    const mailbox = user.mailbox!;
    const kept = mailbox.addMessage(mailbox.addFolder('Projects/2026/Q4 Reports').id, note('kept'));
    mailbox.addMessage(mailbox.addFolder('Projects/2026/Drafts of reports').id, note('excluded by path'));
    mailbox.addMessage('inbox', note('not included'));
    const junk = mailbox.addMessage('junkemail', note('included although a default exclusion'));
    const t = target(user, {
      folders: {
        include: ['Projects/2026/Q4 Reports', 'Projects/2026/Drafts of reports', 'Junk Email'],
        exclude: ['Projects/2026/Drafts of reports'],
        excludeDefaults: false,
      },
    });
    const { finished, events } = await archive(t);
    expect(finished).toMatchObject({ status: 'succeeded' });
    expect(events.map((e) => e.sourceIdentity).sort()).toEqual(
      [`m365:${kept.immutableId}`, `m365:${junk.immutableId}`].sort(),
    );
    expect(new Set(events.map((e) => e.folder))).toEqual(new Set(['Projects/2026/Q4 Reports', 'Junk Email']));
  });

  it('streams a 150 MB message to storage without holding it in the heap', async () => {
    const user = m365.addUser('large');
    const message = user.mailbox!.addMessage('inbox', largeMessage(150, user.userPrincipalName));
    const { result, growth } = await peakMemoryGrowth(() => archive(target(user)));
    expect(result.finished).toMatchObject({ status: 'succeeded', counters: { messagesArchived: 1 } });
    expect(result.events[0]?.sha256).toBe(sha256(message.raw));
    // Live memory (collected before each sample; the fake's copy of the message is in the
    // baseline): streaming held ~15 MB on a quiet run, 49 MB in a loaded CI run where the store
    // was slower than the loopback socket and fetch's body stream buffered what arrived ahead of
    // the reader. A connector that held the message would need its 150 MB; half tells them apart.
    expect(growth).toBeLessThan(message.raw.length / 2);
  });
});
