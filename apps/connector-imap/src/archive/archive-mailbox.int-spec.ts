import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type ArchiveTarget, type ConnectorWorker, CursorStore } from '@mailkeep/connector-kit';
import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  type MessageArchivedEvent,
  type ResolvedSecret,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { type BlobSource, type BlobStore, FilesystemBlobStore, type PutBlobResult } from '@mailkeep/storage';
import {
  buildMailCorpus,
  type PrivateNatsServer,
  readBlob as readBlobOf,
  runArchiveTask,
  type RunningDovecot,
  runTestConnectorWorker,
  startDovecot,
  startNatsServer,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ImapCursor } from '../cursors/folder-cursor.js';
import { imapConnector } from '../imap-connector.js';
import { archiveMailbox } from './archive-mailbox.js';
import {
  archiveCommand,
  basicSecret,
  imapProfile,
  mailbox,
  parseSourceIdentity,
  storedArchivedEvents,
} from '../test-support/fixtures.js';

/**
 * The connector against a real Dovecot (libs/testing) through the real worker loop, a private
 * NATS with JetStream and the filesystem blob store: what is stored, cursors, UIDVALIDITY,
 * folder selection, master-user login, delete in source.
 */
const logger = createLogger({ service: 'connector-imap-test', level: 'fatal' });
/** Redeliveries within the test's time: 50 ms instead of the production back-off. */
const FAST_RETRY = { maxDeliver: 3, backoffMs: [50] };
/**
 * A task archives at most ~60 MB here (well under a second locally); 45 s is far above that on a
 * loaded 2-core box and still fails with a clear message before vitest's 60 s test timeout.
 */
const TASK_TIMEOUT_MS = 45_000;

const NON_ASCII_FOLDER = 'Ärger & Co/Unter';
const AMPERSAND_FOLDER = 'Entwürfe & Notizen';

/** Mailboxes archived without the second connection (the session fetches everything). */
const sessionOnly = new Set<string>();
/** Mailboxes archived under the default egress policy (Dovecot on loopback refused). */
const defaultEgress = new Set<string>();
const connector: typeof imapConnector = {
  ...imapConnector,
  archiveMailbox: async (context, t, tools) => {
    const egress = defaultEgress.has(t.mailbox.id) ? new Egress() : tools.egress;
    await archiveMailbox(
      context,
      t,
      { ...tools, egress },
      { bodyConnection: !sessionOnly.has(t.mailbox.id) },
    );
  },
};

/** Fails a tenant's puts after a number of successful ones, to simulate a storage fault mid-way. */
class FaultyBlobStore implements BlobStore {
  readonly kind = 'filesystem' as const;
  private readonly budget = new Map<string, number>();
  /** Per tenant, what a put calls to wait at the gate (see gather). */
  private readonly gates = new Map<string, (release: () => void) => void>();

  constructor(private readonly inner: BlobStore) {}

  failAfter(tenantId: string, puts: number): void {
    this.budget.set(tenantId, puts);
  }

  heal(tenantId: string): void {
    this.budget.delete(tenantId);
  }

  /**
   * Holds a tenant's first `count` puts until all of them are in `put` at once (or 10 s passed);
   * resolves whether they ever were: only a connector that keeps several messages in flight gets there.
   */
  gather(tenantId: string, count: number): Promise<boolean> {
    let reached!: (value: boolean) => void;
    const result = new Promise<boolean>((resolve) => (reached = resolve));
    const waiting: (() => void)[] = [];
    const timer = setTimeout(() => {
      this.gates.delete(tenantId);
      reached(false);
      for (const release of waiting.splice(0)) release();
    }, 10_000);
    this.gates.set(tenantId, (release) => {
      waiting.push(release);
      if (waiting.length < count) return;
      clearTimeout(timer);
      this.gates.delete(tenantId);
      reached(true);
      for (const next of waiting.splice(0)) next();
    });
    return result;
  }

  async put(tenantId: string, source: BlobSource): Promise<PutBlobResult> {
    const gate = this.gates.get(tenantId);
    if (gate) await new Promise<void>((release) => gate(release));
    const left = this.budget.get(tenantId);
    if (left !== undefined) {
      if (left <= 0) {
        if (!(source instanceof Uint8Array)) source.resume(); // drained, as a store failing late would have
        throw Object.assign(new Error('injected storage fault'), { code: 'EIO' });
      }
      this.budget.set(tenantId, left - 1);
    }
    return this.inner.put(tenantId, source);
  }

  get: BlobStore['get'] = (tenantId, sha256) => this.inner.get(tenantId, sha256);
  stat: BlobStore['stat'] = (tenantId, sha256) => this.inner.stat(tenantId, sha256);
  check: BlobStore['check'] = () => this.inner.check();
}

let nats: PrivateNatsServer;
let bus: MessageBus;
let dovecot: RunningDovecot;
let blobRoot: string;
let blobs: FaultyBlobStore;
let worker: ConnectorWorker;
const targets = new Map<string, ArchiveTarget>();

/** What the server sends for a message, cached: the 20 MB corpus message is compared several times. */
const rawCache = new Map<string, Buffer>();
async function rawSource(user: string, folder: string, uid: number): Promise<Buffer> {
  const key = `${user}\0${folder}\0${uid}`;
  let raw = rawCache.get(key);
  if (!raw) rawCache.set(key, (raw = await dovecot.rawSource(user, folder, uid)));
  return raw;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const readBlob = (tenantId: string, hash: string) => readBlobOf(blobs, tenantId, hash);

function blobFiles(tenantId: string): number {
  const root = join(blobRoot, tenantId);
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
      .length;
  } catch {
    return 0;
  }
}

interface Target {
  readonly tenantId: string;
  readonly profile: ArchivingProfile;
  readonly address: string;
  readonly mailboxId: string;
  readonly credentials: ResolvedSecret;
}

function target(
  user: string,
  password: string,
  profile: Partial<ArchivingProfile> = {},
  address: string = user,
): Target {
  return {
    tenantId: randomUUID(),
    profile: imapProfile({ port: dovecot.ports.imaps, ...profile }),
    address,
    mailboxId: randomUUID(),
    credentials: basicSecret(user, password),
  };
}

/** Runs one task for the target through the worker and returns its task.finished and archived events. */
function archive(t: Target): Promise<{ finished: TaskFinishedEvent; events: MessageArchivedEvent[] }> {
  const command = archiveCommand({ tenantId: t.tenantId, mailboxId: t.mailboxId, profileId: t.profile.id });
  targets.set(t.mailboxId, {
    profile: t.profile,
    mailbox: mailbox(t.address, t.mailboxId),
    credentials: t.credentials,
  });
  return runArchiveTask(bus, CONNECTOR_ARCHIVE_MAILBOX_V1.imap, command, TASK_TIMEOUT_MS);
}

/** Every archived blob equals what the server sends for its message (rawSource), byte for byte. */
async function expectByteExact(user: string, tenantId: string, events: readonly MessageArchivedEvent[]) {
  for (const event of events) {
    const { folder, uid } = parseSourceIdentity(event.sourceIdentity);
    const reference = await rawSource(user, folder, uid);
    expect({ id: event.sourceIdentity, sha256: event.sha256, size: event.size }).toEqual({
      id: event.sourceIdentity,
      sha256: sha256(reference),
      size: reference.length,
    });
    expect((await readBlob(tenantId, event.sha256)).equals(reference)).toBe(true);
  }
}

/** Flags of every message in the folders, to check that archiving changed none (C7). */
async function flagSnapshot(user: string, folders: readonly string[]): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  for (const folder of folders) snapshot[folder] = await dovecot.list(user, folder);
  return snapshot;
}

const message = (subject: string, body = 'Hello.'): Buffer =>
  Buffer.from(
    `From: a@example.test\r\nTo: b@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${randomUUID()}@example.test>\r\n\r\n${body}\r\n`,
  );

const ALICE_INCLUDED = ['INBOX', 'Sent', NON_ASCII_FOLDER, AMPERSAND_FOLDER];
const ALICE_DEFAULT_EXCLUDED = ['Trash', 'Junk', 'Drafts', 'Outbox'];

beforeAll(async () => {
  [nats, dovecot] = await Promise.all([
    startNatsServer(),
    startDovecot({
      users: [
        { name: 'alice', password: 'alice-pass' },
        { name: 'carol@example.test', password: 'carol-pass' },
        { name: 'journal', password: 'journal-pass' },
        { name: 'journal2', password: 'journal2-pass' },
        { name: 'solo', password: 'solo-pass' },
      ],
    }),
  ]);
  bus = await MessageBus.connect({ servers: nats.url, name: 'connector-imap-test', logger });
  blobRoot = mkdtempSync(join(tmpdir(), 'mailkeep-imap-blobs-'));
  blobs = new FaultyBlobStore(new FilesystemBlobStore({ root: blobRoot, logger }));
  worker = await runTestConnectorWorker({
    connector: connector,
    bus,
    blobs,
    logger,
    egress: new Egress(EgressPolicy.fromEntries(dovecot.egressAllowance)),
    targets,
    retry: FAST_RETRY,
    concurrency: 2,
  });

  // alice: the whole mixed corpus (20 MB message included) in INBOX, a little in other folders,
  // one message in each folder the defaults exclude.
  for (const entry of buildMailCorpus()) await dovecot.deliver('alice', 'INBOX', entry.raw);
  const small = buildMailCorpus({ largeAttachmentBytes: 0 });
  await dovecot.deliver('alice', NON_ASCII_FOLDER, small[0]!.raw);
  await dovecot.deliver('alice', NON_ASCII_FOLDER, small[4]!.raw);
  await dovecot.deliver('alice', AMPERSAND_FOLDER, small[6]!.raw);
  await dovecot.deliver('alice', 'Sent', message('sent by alice'));
  for (const folder of ALICE_DEFAULT_EXCLUDED)
    await dovecot.deliver('alice', folder, message(`in ${folder}`));
}, 120_000);

afterAll(async () => {
  await worker?.stop({ graceMs: 100 });
  await bus?.close();
  await Promise.all([nats?.stop(), dovecot?.stop()]);
  if (blobRoot) rmSync(blobRoot, { recursive: true, force: true });
});

describe('archiving a mailbox', () => {
  const alice = { tenant: undefined as Target | undefined };

  it('stores every message of the mixed corpus byte-identical over implicit TLS, folders by special-use and name, \\Seen untouched', async () => {
    const before = await flagSnapshot('alice', [...ALICE_INCLUDED, ...ALICE_DEFAULT_EXCLUDED]);
    const t = target('alice', 'alice-pass', { protocol: 'imap-ssl', port: dovecot.ports.imaps });
    alice.tenant = t;

    const { finished, events } = await archive(t);

    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
    const expected = (
      await Promise.all(
        ALICE_INCLUDED.map(async (folder) =>
          (await dovecot.list('alice', folder)).map((m) => `${folder}#${m.uid}`),
        ),
      )
    ).flat();
    const archived = events.map((e) => {
      const { folder, uid } = parseSourceIdentity(e.sourceIdentity);
      expect(e.folder).toBe(folder);
      return `${folder}#${uid}`;
    });
    expect(archived.sort()).toEqual(expected.sort());
    expect(finished.counters.messagesArchived).toBe(expected.length);
    await expectByteExact('alice', t.tenantId, events);
    // C7: BODY.PEEK only and EXAMINE, so no flag changed anywhere (no \Seen).
    expect(await flagSnapshot('alice', [...ALICE_INCLUDED, ...ALICE_DEFAULT_EXCLUDED])).toEqual(before);

    const cursors = await CursorStore.open<ImapCursor>(bus);
    for (const folder of ALICE_INCLUDED) {
      const status = await dovecot.status('alice', folder);
      const cursor = await cursors.get(t.tenantId, t.mailboxId, folder);
      expect(cursor?.value).toEqual({
        uidValidity: status.uidValidity,
        lastUid: status.uidNext - 1,
        highestModseq: String(status.highestModseq),
      });
    }
  });

  it('stores the same bytes over STARTTLS', async () => {
    const t = target('alice', 'alice-pass', { protocol: 'imap-tls', port: dovecot.ports.imap });
    const { finished, events } = await archive(t);
    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
    expect(events.length).toBeGreaterThan(12);
    await expectByteExact('alice', t.tenantId, events);
  });

  it('fetches everything on the session without the second connection: the same bytes', async () => {
    // A message above the 1 MiB stream threshold, and small ones for ranges.
    for (const entry of buildMailCorpus({ largeAttachmentBytes: 1_500_000 }))
      await dovecot.deliver('solo', 'INBOX', entry.raw);
    const t = target('solo', 'solo-pass', {
      folders: { include: ['INBOX'], exclude: [], excludeDefaults: true },
    });
    sessionOnly.add(t.mailboxId);

    const { finished, events } = await archive(t);
    // One login for solo, not two: nothing came through a second connection. (Read before the
    // reference copies below log in as solo.)
    const logins = readFileSync(join(dovecot.runDir, 'dovecot.log'), 'utf8').match(/Login: user=<solo>/g);

    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
    expect(logins).toHaveLength(1);
    const { uidValidity } = await dovecot.status('solo', 'INBOX');
    const inbox = await dovecot.list('solo', 'INBOX');
    expect(events.map((e) => e.sourceIdentity).sort()).toEqual(
      inbox.map((m) => `imap:INBOX:${uidValidity}:${m.uid}`).sort(),
    );
    expect(Math.max(...events.map((e) => e.size))).toBeGreaterThan(1024 * 1024);
    await expectByteExact('solo', t.tenantId, events);
  });

  it('archives nothing on a second pass without selecting a folder or writing a cursor, then exactly the three new messages', async () => {
    const t = alice.tenant;
    if (!t) throw new Error('needs the first test');
    const cursors = await CursorStore.open<ImapCursor>(bus);
    const revisions = async () =>
      Promise.all(ALICE_INCLUDED.map(async (f) => (await cursors.get(t.tenantId, t.mailboxId, f))?.revision));
    const revisionsBefore = await revisions();
    // Flags changed and HIGHESTMODSEQ moved: nothing for an archive.
    await dovecot.flag('alice', 'Sent', (await dovecot.list('alice', 'Sent'))[0]!.uid, ['\\Answered']);
    await dovecot.recordCommands('alice');
    const again = await archive(t);
    expect(again.finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 0, duplicatesSkipped: 0, messagesFailed: 0 },
    });
    expect(again.events).toEqual([]);
    // One LIST with STATUS told that nothing is new: no folder opened, no cursor written.
    const idleCommands = dovecot.commandsSent('alice');
    expect(idleCommands.filter((line) => / LIST .*RETURN \(.*STATUS/.test(line))).toHaveLength(1);
    expect(idleCommands.filter((line) => / (SELECT|EXAMINE|STATUS|FETCH|UID) /i.test(line))).toEqual([]);
    expect(await revisions()).toEqual(revisionsBefore);

    const added = [];
    for (const subject of ['new 1', 'new 2', 'new 3'])
      added.push(await dovecot.deliver('alice', 'INBOX', message(subject)));
    const { finished, events } = await archive(t);
    // Only the folder with new mail was opened (read before the byte check below opens INBOX too).
    const opened = dovecot
      .commandsSent('alice')
      .slice(idleCommands.length)
      .filter((line) => / (SELECT|EXAMINE) /i.test(line));
    // Names go out as the listed bytes in a quoted string (folder-commands.ts).
    expect(opened.map((line) => line.replace(/^.* (SELECT|EXAMINE) /i, ''))).toEqual(['"INBOX"']);
    expect(finished.counters).toMatchObject({ messagesArchived: 3, duplicatesSkipped: 0, messagesFailed: 0 });
    expect(events.map((e) => e.sourceIdentity).sort()).toEqual(
      added.map((d) => `imap:INBOX:${d.uidValidity}:${d.uid}`).sort(),
    );
    await expectByteExact('alice', t.tenantId, events);
  });

  it('opens a folder whose newest messages were expunged before it was listed once, then skips it', async () => {
    const t = alice.tenant;
    if (!t) throw new Error('needs the first test');
    const gone = await dovecot.deliver('alice', 'Sent', message('expunged before the pass'));
    await dovecot.deleteBehindClientsBack('alice', 'Sent', gone.uid);
    const seen = dovecot.commandsSent('alice').length;
    const first = await archive(t);
    expect(first.events).toEqual([]);
    const cursor = await (await CursorStore.open<ImapCursor>(bus)).get(t.tenantId, t.mailboxId, 'Sent');
    // UIDNEXT - 1: the UID is never reused, so nothing is left below it.
    expect(cursor?.value.lastUid).toBe(gone.uid);
    const second = await archive(t);
    expect(second.events).toEqual([]);
    const opened = dovecot
      .commandsSent('alice')
      .slice(seen)
      .filter((line) => / (SELECT|EXAMINE) /i.test(line));
    expect(opened.map((line) => line.replace(/^.* (SELECT|EXAMINE) /i, ''))).toEqual(['"Sent"']);
  });

  it('rescans a folder whose UIDVALIDITY changed: nothing lost, no new blob', async () => {
    const t = alice.tenant;
    if (!t) throw new Error('needs the first test');
    const inbox = await dovecot.list('alice', 'INBOX');
    const blobsBefore = blobFiles(t.tenantId);
    const hashesBefore = new Set(
      (await storedArchivedEvents(bus))
        .filter((e) => e.tenantId === t.tenantId && e.folder === 'INBOX')
        .map((e) => e.sha256),
    );
    const uidValidity = await dovecot.changeUidValidity('alice', 'INBOX');

    const { finished, events } = await archive(t);

    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
    // Every INBOX message again under its new identity, nothing from the other folders.
    expect(events.map((e) => e.sourceIdentity).sort()).toEqual(
      inbox.map((m) => `imap:INBOX:${uidValidity}:${m.uid}`).sort(),
    );
    expect(events.every((e) => !e.created)).toBe(true);
    // Announced as a rescan, so the catalog adds no row for content it already has in the folder.
    expect(events.every((e) => e.rescan === true)).toBe(true);
    expect(new Set(events.map((e) => e.sha256))).toEqual(hashesBefore);
    expect(blobFiles(t.tenantId)).toBe(blobsBefore);
    const cursor = await (await CursorStore.open<ImapCursor>(bus)).get(t.tenantId, t.mailboxId, 'INBOX');
    expect(cursor?.value).toMatchObject({ uidValidity, lastUid: inbox.at(-1)?.uid });
    // The rescan completed: the next pass is an ordinary one.
    expect(cursor?.value.rescan).toBeUndefined();
  });

  it('archives only the included folders (non-ASCII and & in the path)', async () => {
    const t = target('alice', 'alice-pass', {
      folders: {
        include: [NON_ASCII_FOLDER, AMPERSAND_FOLDER, 'No Such Folder'],
        exclude: [],
        excludeDefaults: true,
      },
    });
    const { finished, events } = await archive(t);
    expect(finished.status).toBe('succeeded');
    expect(events.map((e) => e.folder).sort()).toEqual([
      AMPERSAND_FOLDER,
      NON_ASCII_FOLDER,
      NON_ASCII_FOLDER,
    ]);
    await expectByteExact('alice', t.tenantId, events);
  });

  it('archives every other folder when one cannot be opened: a folder failure of a succeeded task, not ten retries', async () => {
    const user = 'locked';
    dovecot.addUser(user, 'locked-pass');
    for (const folder of ['INBOX', 'INBOX', 'Locked Away', 'Projects']) {
      await dovecot.deliver(user, folder, message(`${user} ${folder}`));
    }
    // The mail processes run as another user than root here, so they cannot read this folder.
    const lockedDir = join(dovecot.runDir, 'mail', user, 'Maildir', 'Locked Away');
    chmodSync(lockedDir, 0o000);
    try {
      const { finished, events } = await archive(target(user, 'locked-pass'));
      expect(finished).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        counters: { messagesArchived: 3, messagesFailed: 0 },
        folderFailures: [{ folder: 'Locked Away' }],
      });
      expect(events.map((e) => e.folder).sort()).toEqual(['INBOX', 'INBOX', 'Projects']);
    } finally {
      chmodSync(lockedDir, 0o700);
    }
  });

  it('logs in as the master user for the mailbox in multiple mode (SASL PLAIN authorization identity)', async () => {
    const user = 'carol@example.test';
    await dovecot.deliver(user, 'INBOX', message('for carol 1'));
    await dovecot.deliver(user, 'INBOX', message('for carol 2'));
    const t = target(dovecot.masterUser.name, dovecot.masterUser.password, { mode: 'multiple' }, user);
    const { finished, events } = await archive(t);
    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesArchived: 2 } });
    await expectByteExact(user, t.tenantId, events);
  });

  it('fails a task with rejected credentials as authentication, without retrying it', async () => {
    const { finished } = await archive(target('alice', 'wrong-password'));
    expect(finished).toMatchObject({ status: 'failed', attempts: 1, error: { category: 'authentication' } });
  });

  it('fails a task whose server the egress policy refuses, without connecting or retrying', async () => {
    const t = target('alice', 'alice-pass');
    defaultEgress.add(t.mailboxId);
    const { finished, events } = await archive(t);
    expect(finished).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: {
        code: 'VALIDATION',
        message: "the server's address 127.0.0.1 is not allowed by this deployment's egress policy",
      },
    });
    expect(events).toEqual([]);
  });
});

describe('delete in source (P10)', () => {
  it('removes exactly the archived messages that are not flagged, never others marked \\Deleted', async () => {
    const uids = [];
    for (let i = 1; i <= 5; i++) {
      const flags = i === 2 ? ['\\Flagged'] : i === 4 ? ['\\Flagged', '\\Deleted'] : [];
      uids.push((await dovecot.deliver('journal', 'INBOX', message(`journal ${i}`), { flags })).uid);
    }
    const t = target('journal', 'journal-pass', { deleteInSource: true });
    const { finished, events } = await archive(t);
    expect(finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 5, messagesFailed: 0 },
    });
    expect(events).toHaveLength(5);
    // Message 4 carries \Deleted from someone else: a plain EXPUNGE would have removed it too.
    expect((await dovecot.list('journal', 'INBOX')).map((m) => m.uid)).toEqual([uids[1], uids[3]]);
  });

  it('deletes nothing when storage fails in the middle of the pass, and catches up on the next one', async () => {
    const uids = [];
    for (let i = 1; i <= 6; i++) {
      uids.push(
        (
          await dovecot.deliver('journal2', 'INBOX', message(`j2 ${i}`), {
            flags: i === 3 ? ['\\Flagged'] : [],
          })
        ).uid,
      );
    }
    const t = target('journal2', 'journal2-pass', { deleteInSource: true });
    blobs.failAfter(t.tenantId, 2);
    const failed = await archive(t);
    // Storage stays broken: every attempt holds messages back, so the task is retried, never
    // `succeeded` with messages missing, and given up after the last attempt (decision 0016),
    // whose six messages (the two archived earlier included: their puts failed too) count as failed.
    expect(failed.finished).toMatchObject({
      status: 'failed',
      attempts: FAST_RETRY.maxDeliver,
      counters: { messagesArchived: 0, messagesFailed: 6 },
    });
    expect((await dovecot.list('journal2', 'INBOX')).map((m) => m.uid)).toEqual(uids);

    blobs.heal(t.tenantId);
    const healed = await archive(t);
    expect(healed.finished).toMatchObject({
      status: 'succeeded',
      // The first two again (their events are duplicates the stream drops), the other four now.
      counters: { messagesArchived: 4, duplicatesSkipped: 2, messagesFailed: 0 },
    });
    expect((await dovecot.list('journal2', 'INBOX')).map((m) => m.uid)).toEqual([uids[2]]);
  });
});

describe('messages in flight', () => {
  it('keeps several messages of one folder in flight through storage at once, and still archives each once', async () => {
    const user = 'carol@example.test';
    for (let i = 1; i <= 12; i++) await dovecot.deliver(user, 'Archive', message(`carol ${i}`));
    const t = target(user, 'carol-pass', {
      folders: { include: ['Archive'], exclude: [], excludeDefaults: true },
    });
    const fourAtOnce = blobs.gather(t.tenantId, 4);

    const { finished, events } = await archive(t);

    expect(await fourAtOnce).toBe(true);
    expect(finished).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 12, messagesFailed: 0 },
    });
    expect(new Set(events.map((event) => event.sourceIdentity)).size).toBe(12);
    await expectByteExact(user, t.tenantId, events);
    // The cursor covers the whole folder although the messages finished in any order.
    const cursors = await CursorStore.open<ImapCursor>(bus);
    const cursor = await cursors.get(t.tenantId, t.mailboxId, 'Archive');
    const uids = (await dovecot.list(user, 'Archive')).map((m) => m.uid);
    expect(cursor?.value.lastUid).toBe(Math.max(...uids));
  });
});
