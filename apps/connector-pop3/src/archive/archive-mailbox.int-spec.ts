import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

import {
  type ArchiveTarget,
  type ConnectorDefinition,
  connectorTaskHandler,
  CursorStore,
  runConnectorWorker,
} from '@mailkeep/connector-kit';
import {
  type ArchiveMailboxCommand,
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  MESSAGE_ARCHIVED_V1,
  type MessageArchivedEvent,
  type ProfileProtocol,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import type { BlobStore, FilesystemBlobStore } from '@mailkeep/storage';
import {
  buildMailCorpus,
  RawPop3Client,
  type RunningDovecot,
  type ServiceHarness,
  startDovecot,
  startServiceHarness,
  storedEvents,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPop3Connector } from '../pop3-connector.js';
import { decodeUidlCursor, type Pop3Cursor } from '../protocol/uidl-cursor.js';
import { POP3_FOLDER } from './archived-uidls.js';

/** One delivery per task: a failure shows in task.finished at once instead of after back-offs. */
const NO_RETRY = { maxDeliver: 1, backoffMs: [50] };
/**
 * Deadline for one task. The 20 MB corpus message goes through TLS, the filesystem store and an
 * fsync; 30 s covers a loaded 2-core machine, and a hung task still fails well before vitest's.
 */
const TASK_DEADLINE_MS = 30_000;

const tenantId = randomUUID();
let dovecot: RunningDovecot;
let harness: ServiceHarness;
let logger: Logger;
let bus: MessageBus;
let blobs: FilesystemBlobStore;
let connector: ConnectorDefinition;

beforeAll(async () => {
  [dovecot, harness] = await Promise.all([
    startDovecot({ specialUseFolders: false }),
    startServiceHarness({ name: 'connector-pop3-archive', blobs: true }),
  ]);
  ({ bus, logger, blobs } = harness);
  // Trust the test server's self-signed certificate, so these tests verify it like production.
  connector = createPop3Connector({ ca: dovecot.caCertificatePem });
});

afterAll(async () => {
  await Promise.all([dovecot?.stop(), harness?.close()]);
});

interface Scenario {
  readonly user: string;
  readonly password?: string;
  readonly mailboxId?: string;
  readonly protocol?: ProfileProtocol;
  readonly deleteInSource?: boolean;
  readonly mode?: 'single' | 'multiple';
}

function target(scenario: Scenario): ArchiveTarget & { mailboxId: string } {
  const mailboxId = scenario.mailboxId ?? randomUUID();
  const protocol = scenario.protocol ?? 'pop-ssl';
  const now = new Date().toISOString();
  const profile: ArchivingProfile = {
    id: randomUUID(),
    name: `pop3 ${scenario.user}`,
    type: 'pop3',
    mode: scenario.mode ?? 'single',
    credentialsSecretId: randomUUID(),
    deleteInSource: scenario.deleteInSource ?? false,
    serverName: dovecot.host,
    port: protocol === 'pop-ssl' ? dovecot.ports.pop3s : dovecot.ports.pop3,
    protocol,
    timeoutSeconds: 10,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const master = scenario.mode === 'multiple';
  return {
    mailboxId,
    profile,
    mailbox: {
      id: mailboxId,
      primaryAddress: scenario.user,
      secondaryAddresses: [],
      displayName: '',
      directoryServiceId: null,
      enabled: true,
      origin: 'manual',
    },
    credentials: {
      id: profile.credentialsSecretId,
      type: 'basic',
      username: master ? dovecot.masterUser.name : scenario.user,
      password: master ? dovecot.masterUser.password : (scenario.password ?? `${scenario.user}-pass`),
    },
  };
}

/** Runs one archive task through the real worker (queue, pipeline, events) and returns its task.finished. */
async function archive(
  scenario: Scenario | (ArchiveTarget & { mailboxId: string }),
  options: { connector?: ConnectorDefinition; blobs?: BlobStore; egress?: Egress } = {},
): Promise<TaskFinishedEvent> {
  const fixed = 'profile' in scenario ? scenario : target(scenario);
  const worker = await runConnectorWorker({
    type: 'pop3',
    bus,
    blobs: options.blobs ?? blobs,
    logger,
    retry: NO_RETRY,
    handleTask: connectorTaskHandler(options.connector ?? connector, {
      bus,
      logger,
      // Exactly Dovecot's ports; the rest of loopback stays refused.
      egress: options.egress ?? new Egress(EgressPolicy.fromEntries(dovecot.egressAllowance)),
      loadTarget: () => Promise.resolve(fixed),
    }),
  });
  try {
    const task: ArchiveMailboxCommand = {
      taskId: randomUUID(),
      runId: randomUUID(),
      tenantId,
      profileId: fixed.profile.id,
      mailboxId: fixed.mailboxId,
      profileVersion: 1,
    };
    await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.pop3, task, { msgId: task.taskId });
    return await waitFor(
      async () =>
        (await events<TaskFinishedEvent>(TASK_FINISHED_V1.subject)).find((e) => e.taskId === task.taskId),
      { description: `task.finished of ${task.taskId}`, timeoutMs: TASK_DEADLINE_MS, intervalMs: 50 },
    );
  } finally {
    await worker.stop({ graceMs: 100 });
  }
}

/** Every event of a subject in the archive stream, in order. */
function events<T>(subject: string): Promise<T[]> {
  return storedEvents<T>(bus, subject);
}

async function archivedOf(mailboxId: string): Promise<MessageArchivedEvent[]> {
  return (await events<MessageArchivedEvent>(MESSAGE_ARCHIVED_V1.subject)).filter(
    (e) => e.mailboxId === mailboxId,
  );
}

/** Dovecot's UIDLs are `%08X` UID then `%08X` UIDVALIDITY. */
function uidOf(sourceIdentity: string): number {
  return parseInt(sourceIdentity.slice('pop3:'.length, 'pop3:'.length + 8), 16);
}

async function sha256(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function cursorOf(mailboxId: string): Promise<Set<string> | undefined> {
  const store = await CursorStore.open<Pop3Cursor>(bus);
  const stored = await store.get(tenantId, mailboxId, POP3_FOLDER);
  return stored && decodeUidlCursor(stored.value);
}

async function uidlsOnServer(user: string): Promise<string[]> {
  const client = await RawPop3Client.connect({ host: dovecot.host, port: dovecot.ports.pop3 });
  try {
    await client.login(user, `${user}-pass`);
    return (await client.uidl()).map((entry) => entry.uidl);
  } finally {
    client.close(); // no QUIT: nothing changes
  }
}

async function deliverSmall(user: string, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const raw = Buffer.from(
      `Message-ID: <${tag}-${i}@pop3.test>\r\nSubject: ${tag} ${i}\r\n\r\n.body ${i}\r\n`,
    );
    await dovecot.deliver(user, 'INBOX', raw);
  }
}

/** A blob store that fails every put after the first `healthy` ones, as a storage outage would. */
function failingAfter(healthy: number): BlobStore {
  let puts = 0;
  return {
    kind: 'filesystem',
    put: (tenant, source) => {
      puts++;
      if (puts <= healthy) return blobs.put(tenant, source);
      if (!(source instanceof Uint8Array)) source.resume(); // read nothing of it, as a refused upload would
      return Promise.reject(Object.assign(new Error('storage unavailable'), { code: 'ECONNRESET' }));
    },
    get: (tenant, sha) => blobs.get(tenant, sha),
    stat: (tenant, sha) => blobs.stat(tenant, sha),
    check: () => blobs.check(),
  };
}

/**
 * A blob store that reads each source whole, then holds the put until `count` puts are held at
 * once (or 10 s passed), then stores. `gathered` says whether they ever were: only a connector
 * that sends the next RETR while a message's put is still under way gets there.
 */
function gatheringStore(count: number): BlobStore & { gathered: Promise<boolean> } {
  let reached!: (value: boolean) => void;
  const gathered = new Promise<boolean>((resolve) => (reached = resolve));
  const held: (() => void)[] = [];
  const releaseAll = (value: boolean) => {
    reached(value);
    for (const release of held.splice(0)) release();
  };
  const timer = setTimeout(() => releaseAll(false), 10_000);
  return {
    kind: 'filesystem',
    gathered,
    put: async (tenant, source) => {
      const bytes = source instanceof Uint8Array ? source : Buffer.concat(await source.toArray());
      await new Promise<void>((release) => {
        held.push(release);
        if (held.length >= count) {
          clearTimeout(timer);
          releaseAll(true);
        }
      });
      return blobs.put(tenant, bytes);
    },
    get: (tenant, sha) => blobs.get(tenant, sha),
    stat: (tenant, sha) => blobs.stat(tenant, sha),
    check: () => blobs.check(),
  };
}

describe('archiving a POP3 mailbox', () => {
  const corpus = buildMailCorpus();

  beforeAll(async () => {
    dovecot.addUser('corpus', 'corpus-pass');
    for (const message of corpus) await dovecot.deliver('corpus', 'INBOX', message.raw);
  });

  for (const protocol of ['pop-ssl', 'pop-tls'] as const) {
    it(`stores every corpus message byte-identical to what the server sent (${protocol})`, async () => {
      const scenario = target({ user: 'corpus', protocol });
      const finished = await archive(scenario);
      expect(finished).toMatchObject({
        status: 'succeeded',
        counters: { messagesArchived: corpus.length, messagesFailed: 0 },
      });
      const archived = await archivedOf(scenario.mailboxId);
      // Every listed message once; events come in the order messages finish (several in flight).
      expect(archived.map((e) => e.sourceIdentity).sort()).toEqual(
        (await uidlsOnServer('corpus')).map((u) => `pop3:${u}`).sort(),
      );
      for (const event of archived) {
        expect(event.folder).toBe('');
        const sent = await dovecot.pop3Source('corpus', uidOf(event.sourceIdentity));
        const expected = createHash('sha256').update(sent).digest('hex');
        expect({ id: event.sourceIdentity, sha256: event.sha256, size: event.size }).toEqual({
          id: event.sourceIdentity,
          sha256: expected,
          size: sent.length,
        });
        expect(await sha256(await blobs.get(tenantId, event.sha256))).toBe(expected);
      }
    });
  }

  it('archives only what is new: nothing on a second pass, exactly three after three arrive', async () => {
    dovecot.addUser('incremental', 'incremental-pass');
    await deliverSmall('incremental', 4, 'inc-a');
    const scenario = target({ user: 'incremental' });
    expect((await archive(scenario)).counters).toMatchObject({ messagesArchived: 4, duplicatesSkipped: 0 });
    const second = await archive(scenario);
    expect(second).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 0, duplicatesSkipped: 0 },
    });
    await deliverSmall('incremental', 3, 'inc-b');
    const third = await archive(scenario);
    expect(third.counters).toMatchObject({ messagesArchived: 3, duplicatesSkipped: 0, messagesFailed: 0 });
    expect(await archivedOf(scenario.mailboxId)).toHaveLength(7);
    expect((await cursorOf(scenario.mailboxId))?.size).toBe(7);
  });

  it('sends the next RETR while earlier messages are still being stored (messages in flight)', async () => {
    dovecot.addUser('overlap', 'overlap-pass');
    await deliverSmall('overlap', 6, 'overlap');
    const scenario = target({ user: 'overlap' });
    const store = gatheringStore(3);
    const finished = await archive(scenario, { blobs: store });
    expect(await store.gathered).toBe(true);
    expect(finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 6, messagesFailed: 0 },
    });
    expect((await cursorOf(scenario.mailboxId))?.size).toBe(6);
  });

  it('prunes the cursor to the messages still on the server', async () => {
    dovecot.addUser('pruned', 'pruned-pass');
    await deliverSmall('pruned', 3, 'prune');
    const scenario = target({ user: 'pruned' });
    await archive(scenario);
    const [first] = await dovecot.list('pruned', 'INBOX');
    await dovecot.deleteBehindClientsBack('pruned', 'INBOX', first?.uid ?? 1);
    expect((await archive(scenario)).counters.messagesArchived).toBe(0);
    expect(await cursorOf(scenario.mailboxId)).toEqual(new Set(await uidlsOnServer('pruned')));
  });

  it('logs in as a master user in multiple mode (SASL PLAIN with the mailbox as authorization identity)', async () => {
    dovecot.addUser('shared', 'shared-pass');
    await deliverSmall('shared', 2, 'master');
    const scenario = target({ user: 'shared', mode: 'multiple', protocol: 'pop-tls' });
    expect(await archive(scenario)).toMatchObject({ status: 'succeeded', counters: { messagesArchived: 2 } });
  });

  it('fails with AUTH_FAILED, once and not retried, on a wrong password', async () => {
    const finished = await archive({ user: 'alice', password: 'wrong' });
    expect(finished).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'AUTH_FAILED', category: 'authentication' },
    });
    expect(finished.error?.message).toContain('[AUTH]'); // the server's own words
  });

  it('fails without connecting, and not retried, when the egress policy refuses the server', async () => {
    const finished = await archive(target({ user: 'alice' }), { egress: new Egress() });
    expect(finished).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'VALIDATION' } });
    // The plain reason, nothing about the port (no connection was attempted).
    expect(finished.error?.message).toBe(
      "the server's address 127.0.0.1 is not allowed by this deployment's egress policy",
    );
  });
});

describe('delete in source (P10)', () => {
  it('deletes exactly the archived messages, after all are archived, committed by QUIT', async () => {
    dovecot.addUser('journal', 'journal-pass');
    await deliverSmall('journal', 3, 'journal-a');
    const before = await uidlsOnServer('journal');
    const scenario = target({ user: 'journal', deleteInSource: true });
    const finished = await archive(scenario);
    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesArchived: 3 } });
    expect((await archivedOf(scenario.mailboxId)).map((e) => e.sourceIdentity).sort()).toEqual(
      before.map((u) => `pop3:${u}`).sort(),
    );
    expect(await uidlsOnServer('journal')).toEqual([]);
  });

  it('deletes nothing when storage fails in the middle, and everything once a later run succeeds', async () => {
    dovecot.addUser('outage', 'outage-pass');
    await deliverSmall('outage', 5, 'outage');
    const before = await uidlsOnServer('outage');
    const scenario = target({ user: 'outage', deleteInSource: true });
    const finished = await archive(scenario, { blobs: failingAfter(2) });
    // Held back by our own storage: the task is not `succeeded` (decision 0016); with a single
    // delivery here it is given up at once and the three count as failed.
    expect(finished).toMatchObject({
      status: 'failed',
      counters: { messagesArchived: 2, messagesFailed: 3 },
    });
    expect(await uidlsOnServer('outage')).toEqual(before);
    expect(await cursorOf(scenario.mailboxId)).toEqual(new Set(before.slice(0, 2)));

    const healed = await archive(scenario);
    expect(healed.counters).toMatchObject({ messagesArchived: 3, messagesFailed: 0 });
    expect(await uidlsOnServer('outage')).toEqual([]);
  });

  it('deletes nothing when the connection drops before QUIT', async () => {
    dovecot.addUser('dropped', 'dropped-pass');
    await deliverSmall('dropped', 3, 'dropped');
    const before = await uidlsOnServer('dropped');
    const scenario = target({ user: 'dropped', deleteInSource: true });
    let dropped = false;
    const dropping = createPop3Connector({
      ca: dovecot.caCertificatePem,
      beforeQuit: (client) => {
        dropped = true;
        client.close(); // after the DELEs, before QUIT
      },
    });
    const finished = await archive(scenario, { connector: dropping });
    expect(dropped).toBe(true);
    expect(finished).toMatchObject({
      status: 'failed',
      counters: { messagesArchived: 3 },
      error: { category: 'network' },
    });
    expect(await uidlsOnServer('dropped')).toEqual(before);

    // The next run finds them archived and deletes them.
    const next = await archive(scenario);
    expect(next).toMatchObject({ status: 'succeeded', counters: { messagesArchived: 0 } });
    expect(await uidlsOnServer('dropped')).toEqual([]);
  });
});
