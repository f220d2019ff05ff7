import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type ArchiveTarget, type ConnectorWorker } from '@mailkeep/connector-kit';
import { CONNECTOR_ARCHIVE_MAILBOX_V1 } from '@mailkeep/contracts';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { FilesystemBlobStore } from '@mailkeep/storage';
import {
  type PrivateNatsServer,
  readBlob,
  runArchiveTask,
  type RunningImapFake,
  runTestConnectorWorker,
  startImapFake,
  startNatsServer,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { imapConnector } from '../imap-connector.js';
import {
  archiveCommand,
  basicSecret,
  imapProfile,
  mailbox,
  parseSourceIdentity,
} from '../test-support/fixtures.js';

/**
 * Issue 17 item 4: folders whose names are not canonical modified UTF-7, hold the other
 * delimiter, or are not UTF-8, archived through the real worker loop from the scripted IMAP fake
 * (Dovecot lists none of them). Each is opened by the bytes the server listed, archived under its
 * own folder name byte-identical, and a second pass archives nothing.
 */
const logger = createLogger({ service: 'connector-imap-test', level: 'fatal' });

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** Listed name → the folder name its messages must carry. */
const FOLDERS: readonly { listed: Buffer; name: string }[] = [
  { listed: bytes('INBOX'), name: 'INBOX' },
  // `&AGE-` decodes to "a": a folder of that name exists too, and the two stay apart.
  { listed: bytes('a'), name: 'a' },
  { listed: bytes('&AGE-'), name: 'raw:&AGE-' },
  { listed: bytes('&ZZZ'), name: 'raw:&ZZZ' },
  { listed: bytes('bad&-x&'), name: 'raw:bad&-x&' },
  // `/` inside a level on a `.` server: "a/b" would be the name of INBOX.a.b's sibling a.b.
  { listed: bytes('a/b'), name: 'raw:a/b' },
  { listed: bytes('a.b'), name: 'a/b' },
  // Names that trimming slashes made into "" and "x".
  { listed: bytes('/'), name: 'raw:/' },
  { listed: bytes('//x'), name: 'raw://x' },
  { listed: bytes('x'), name: 'x' },
  { listed: bytes('INBOX.Entw&APw-rfe'), name: 'INBOX/Entwürfe' },
  // Two names that are not UTF-8: read as UTF-8 both would be "caf\uFFFD".
  { listed: bytes('caf', [0xe9]), name: 'raw:caf\\xE9' },
  { listed: bytes('caf', [0xe8]), name: 'raw:caf\\xE8' },
];

const message = (folder: string, n: number) =>
  Buffer.from(
    `From: a@example.test\r\nSubject: ${n} in ${folder}\r\nMessage-ID: <${randomUUID()}@example.test>\r\n\r\nbody ${n}\r\n`,
  );

let nats: PrivateNatsServer;
let bus: MessageBus;
let fake: RunningImapFake;
let blobRoot: string;
let blobs: FilesystemBlobStore;
let worker: ConnectorWorker;
const targets = new Map<string, ArchiveTarget>();
/** Each folder's messages as the fake serves them, by archive name. */
const sources = new Map<string, Buffer[]>();

beforeAll(async () => {
  for (const folder of FOLDERS) sources.set(folder.name, [message(folder.name, 1), message(folder.name, 2)]);
  [nats, fake] = await Promise.all([
    startNatsServer(),
    startImapFake({
      user: 'alice',
      password: 'alice-pass',
      tls: true,
      folders: FOLDERS.map((folder, i) => ({
        name: folder.listed,
        uidValidity: 700 + i,
        messages: sources.get(folder.name),
      })),
    }),
  ]);
  bus = await MessageBus.connect({ servers: nats.url, name: 'connector-imap-names-test', logger });
  blobRoot = mkdtempSync(join(tmpdir(), 'mailkeep-imap-names-'));
  blobs = new FilesystemBlobStore({ root: blobRoot, logger });
  worker = await runTestConnectorWorker({
    connector: imapConnector,
    bus,
    blobs,
    logger,
    egress: new Egress(EgressPolicy.fromEntries(fake.egressAllowance)),
    targets,
    retry: { maxDeliver: 2, backoffMs: [50] },
    concurrency: 1,
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop({ graceMs: 100 });
  await bus?.close();
  await Promise.all([nats?.stop(), fake?.stop()]);
  if (blobRoot) rmSync(blobRoot, { recursive: true, force: true });
});

function archive(tenantId: string, mailboxId: string) {
  const profile = imapProfile({
    port: fake.port,
    folders: { include: [], exclude: [], excludeDefaults: false },
  });
  targets.set(mailboxId, {
    profile,
    mailbox: mailbox('alice@example.test', mailboxId),
    credentials: basicSecret('alice', 'alice-pass'),
  });
  const command = archiveCommand({ tenantId, mailboxId, profileId: profile.id });
  return runArchiveTask(bus, CONNECTOR_ARCHIVE_MAILBOX_V1.imap, command, 30_000);
}

describe('folders by the names the server listed', () => {
  it('archives each folder under its own name, byte-identical, opening it by its listed bytes; a second pass archives nothing', async () => {
    const tenantId = randomUUID();
    const mailboxId = randomUUID();
    const examinedBefore = fake.namesSent('EXAMINE').length;

    const first = await archive(tenantId, mailboxId);

    expect(first.finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
    expect(first.finished.folderFailures ?? []).toEqual([]);
    const archived = new Map<string, Buffer[]>();
    for (const event of first.events) {
      const { folder, uid } = parseSourceIdentity(event.sourceIdentity);
      expect(event.folder).toBe(folder);
      const blob = await readBlob(blobs, tenantId, event.sha256);
      expect(event.sha256).toBe(createHash('sha256').update(blob).digest('hex'));
      const list = archived.get(folder) ?? [];
      list[uid - 1] = blob;
      archived.set(folder, list);
    }
    // Every folder under its own name, every message byte for byte.
    expect(Object.fromEntries(archived)).toEqual(Object.fromEntries(sources));
    expect(first.finished.counters.messagesArchived).toBe(FOLDERS.length * 2);
    // Each folder was opened once, by exactly the bytes it was listed with.
    const examined = fake.namesSent('EXAMINE').slice(examinedBefore);
    expect(examined.map((name) => name.toString('hex')).sort()).toEqual(
      FOLDERS.map((folder) => folder.listed.toString('hex')).sort(),
    );

    const examinedAfterFirst = fake.namesSent('EXAMINE').length;
    const second = await archive(tenantId, mailboxId);
    expect(second.finished).toMatchObject({ status: 'succeeded', counters: { messagesArchived: 0 } });
    expect(second.events).toEqual([]);
    // Nothing new anywhere: LIST-STATUS said so, no folder was opened.
    expect(fake.namesSent('EXAMINE').length).toBe(examinedAfterFirst);
  });
});
