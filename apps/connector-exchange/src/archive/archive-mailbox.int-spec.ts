import { createHash, randomUUID } from 'node:crypto';

import { type ArchiveTarget, type ConnectorWorker } from '@mailkeep/connector-kit';
import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  type MessageArchivedEvent,
} from '@mailkeep/contracts';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import {
  archiveCommand,
  archiveTaskOutcome,
  type ArchiveTaskOutcome,
  type EwsItem,
  type EwsMailbox,
  FlakyBlobStore,
  mailboxPayload,
  readBlob,
  type RunningEwsFake,
  runTestConnectorWorker,
  seedEwsMailbox,
  type ServiceHarness,
  startServiceHarness,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exchangeConnector } from '../exchange-connector.js';
import { EwsAccess } from '../protocol/ews-access.js';
import { CONNECTIONS_PER_MAILBOX } from '../protocol/ews-session.js';
import { exchangeProfile, SERVICE_PASSWORD, startFakeWithServiceAccount } from '../test-support/fixtures.js';

/**
 * The connector through the real worker loop, a private NATS with JetStream, the filesystem blob
 * store and the HTTPS EWS fake: cut GetItem responses recorded and retried first on the next run,
 * the cursor held while storage fails, folder rules on full paths.
 */
/** Redeliveries within the test's time: 50 ms instead of the production back-off. */
const FAST_RETRY = { maxDeliver: 3, backoffMs: [50] };
/** A task here archives a few hundred KB; 45 s is far above that on a loaded 2-core box. */
const TASK_TIMEOUT_MS = 45_000;
const password = SERVICE_PASSWORD;

let harness: ServiceHarness;
let logger: Logger;
let bus: MessageBus;
let fake: RunningEwsFake;
let blobs: FlakyBlobStore;
let worker: ConnectorWorker;
const targets = new Map<string, ArchiveTarget>();

const NEW_MESSAGE = [
  'From: Sender <sender@fabrikam.example>',
  'To: Staff <stale.states@contoso.example>',
  'Subject: After the sync states went stale',
  'Date: Mon, 07 Dec 2026 06:00:00 +0000',
  'Message-ID: <stale-states-1@fabrikam.example>',
  '',
  'Arrived after the server forgot every sync state.',
  '',
].join('\r\n');

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

interface Target {
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly profile: ArchivingProfile;
}

function target(mailbox: EwsMailbox, profile: Partial<ArchivingProfile> = {}): Target {
  return {
    tenantId: randomUUID(),
    mailboxId: randomUUID(),
    profile: exchangeProfile({ sourceMailbox: mailbox.smtpAddress, ...profile }),
  };
}

async function archive(t: Target): Promise<ArchiveTaskOutcome> {
  const command = archiveCommand({ tenantId: t.tenantId, mailboxId: t.mailboxId, profileId: t.profile.id });
  targets.set(t.mailboxId, {
    profile: t.profile,
    mailbox: mailboxPayload(`archive-${t.mailboxId.slice(0, 8)}@contoso.example`, t.mailboxId),
    credentials: { id: randomUUID(), type: 'basic', username: 'CONTOSO\\svc-archive', password },
  });
  await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.exchange, command, { msgId: command.taskId });
  return archiveTaskOutcome(bus, command.taskId, TASK_TIMEOUT_MS);
}

/** Every event's blob equals the fake's MIME of the item it names. */
async function expectByteExact(
  tenantId: string,
  events: readonly MessageArchivedEvent[],
  items: readonly EwsItem[],
): Promise<void> {
  const byIdentity = new Map(items.map((item) => [`exchange:${item.id}`, item]));
  for (const event of events) {
    const item = byIdentity.get(event.sourceIdentity);
    expect(item, event.sourceIdentity).toBeDefined();
    expect(event.sha256).toBe(sha256(item!.mime));
    expect((await readBlob(blobs, tenantId, event.sha256)).equals(item!.mime)).toBe(true);
  }
}

beforeAll(async () => {
  [harness, fake] = await Promise.all([
    startServiceHarness({ name: 'connector-exchange', blobs: true }),
    startFakeWithServiceAccount(),
  ]);
  ({ bus, logger } = harness);
  blobs = new FlakyBlobStore(harness.blobs);
  worker = await runTestConnectorWorker({
    connector: exchangeConnector(new EwsAccess(`https://{serverName}:${fake.port}/EWS/Exchange.asmx`)),
    bus,
    blobs,
    logger,
    // The fake listens on loopback: allow exactly its port, as a deployment would its server.
    egress: new Egress(EgressPolicy.fromEntries(`127.0.0.1:${fake.port}`)),
    targets,
    retry: FAST_RETRY,
    concurrency: 2,
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop({ graceMs: 100 });
  await Promise.all([harness?.close(), fake?.stop()]);
});

describe('archiving an Exchange mailbox', () => {
  it('records messages whose GetItem response was cut, moves on, and archives them first on the next run', async () => {
    const mailbox = fake.addMailbox('cut.responses@contoso.example');
    const seeded = seedEwsMailbox(mailbox, { largeAttachmentBytes: 0, domain: 'cut.test' });
    const t = target(mailbox);
    const brokenBefore = fake.counters.brokenResponses;
    fake.setFaults({ brokenFraction: 0.25, seed: 5 });
    let first;
    try {
      first = await archive(t);
    } finally {
      fake.setFaults({});
    }
    expect(fake.counters.brokenResponses - brokenBefore).toBeGreaterThan(0);
    expect(first.finished).toMatchObject({ status: 'succeeded', attempts: 1 });
    const failed = first.finished.counters.messagesFailed;
    expect(failed).toBeGreaterThan(0);
    expect(first.finished.counters.messagesArchived + failed).toBe(seeded.archivable.length);

    const second = await archive(t);
    expect(second.finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: failed, messagesFailed: 0 },
    });
    const all = [...first.events, ...second.events];
    await expectByteExact(t.tenantId, all, seeded.archivable);
    expect(new Set(all.map((e) => e.sourceIdentity)).size).toBe(seeded.archivable.length);

    const third = await archive(t);
    expect(third.finished.counters).toMatchObject({ messagesArchived: 0, messagesFailed: 0 });
  });

  it('holds the cursor when storage fails, so the retried task archives what was missed', async () => {
    const mailbox = fake.addMailbox('storage.outage@contoso.example');
    const seeded = seedEwsMailbox(mailbox, { largeAttachmentBytes: 0, domain: 'outage.test' });
    const t = target(mailbox);
    blobs.failNext(t.tenantId, 3);
    const first = await archive(t);
    // The first delivery failed on storage and was redelivered; the second found every message.
    expect(first.finished).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      counters: { messagesFailed: 0 },
    });
    expect(new Set(first.events.map((e) => e.sourceIdentity))).toEqual(
      new Set(seeded.archivable.map((item) => `exchange:${item.id}`)),
    );
    await expectByteExact(t.tenantId, first.events, seeded.archivable);
    const second = await archive(t);
    expect(second.finished.counters).toMatchObject({ messagesArchived: 0, messagesFailed: 0 });
  });

  it('restarts every folder after ErrorInvalidSyncStateData and announces each message once, the new one included', async () => {
    const mailbox = fake.addMailbox('stale.states@contoso.example');
    const seeded = seedEwsMailbox(mailbox, { largeAttachmentBytes: 0, domain: 'stale.test' });
    const t = target(mailbox);
    const first = await archive(t);
    expect(first.finished.counters).toMatchObject({
      messagesArchived: seeded.archivable.length,
      messagesFailed: 0,
    });
    // Two GetItem calls at most in flight for the mailbox (its two connections).
    expect(fake.counters.maxInFlightPerMailbox.get(mailbox.smtpAddress)).toBeLessThanOrEqual(
      CONNECTIONS_PER_MAILBOX,
    );

    const invalidBefore = fake.counters.invalidSyncStates;
    mailbox.invalidateSyncStates();
    const added = mailbox.addMessage(mailbox.distinguished('inbox'), Buffer.from(NEW_MESSAGE));
    const second = await archive(t);
    expect(fake.counters.invalidSyncStates - invalidBefore).toBeGreaterThan(0);
    expect(second.finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
    // The folders were read again from the start, yet the stream holds one event per message.
    const identities = [...first.events, ...second.events].map((event) => event.sourceIdentity);
    expect(identities).toContain(`exchange:${added.id}`);
    expect(identities).toHaveLength(new Set(identities).size);
    expect(new Set(identities).size).toBe(seeded.archivable.length + 1);
  });

  it('applies include and exclude rules on full folder paths', async () => {
    const mailbox = fake.addMailbox('rules@contoso.example');
    seedEwsMailbox(mailbox, { largeAttachmentBytes: 0, domain: 'rules.test' });
    const nested = mailbox.addFolder('Inbox/Projects/2026 Q4');
    const t = target(mailbox, {
      folders: {
        include: ['Inbox', 'Inbox/Projects/2026 Q4', 'Customers'],
        exclude: ['Customers'],
        excludeDefaults: true,
      },
    });
    const { finished, events } = await archive(t);
    const expected = [...mailbox.itemsIn(mailbox.distinguished('inbox')), ...mailbox.itemsIn(nested)];
    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesArchived: expected.length } });
    expect(new Set(events.map((e) => e.folder))).toEqual(new Set(['Inbox', 'Inbox/Projects/2026 Q4']));
    await expectByteExact(t.tenantId, events, expected);
  });
});
