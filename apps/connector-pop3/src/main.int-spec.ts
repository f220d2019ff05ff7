/**
 * The built connector as a real process (`dist/main.js`; run `npm run build` first): killed with
 * SIGKILL in the middle of a mailbox, then started again, it archives every message exactly once
 * and its cursor never moves back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CursorStore, mailboxLeaseKey } from '@mailkeep/connector-kit';
import {
  type ArchiveMailboxCommand,
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  CONNECTOR_COMMANDS_STREAM,
  MAILBOX_GET_V1,
  MAILBOX_LEASES_BUCKET,
  type MailboxPayload,
  MESSAGE_ARCHIVED_V1,
  type MessageArchivedEvent,
  PROFILE_GET_V1,
  type ResolvedSecret,
  SECRET_RESOLVE_V2,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { sealSecret } from '@mailkeep/secrets-crypto';
import { createLogger } from '@mailkeep/observability';
import { FILESYSTEM_BLOBS_DIR, FilesystemBlobStore } from '@mailkeep/storage';
import {
  buildMailCorpus,
  type PrivateNatsServer,
  type RunningDovecot,
  startDovecot,
  startNatsServer,
  waitFor,
} from '@mailkeep/testing';
import { storedEvents } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHECKPOINT_EVERY_MESSAGES, POP3_FOLDER } from './archive/archived-uidls.js';
import { decodeUidlCursor, type Pop3Cursor } from './protocol/uidl-cursor.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const logger = createLogger({ service: 'connector-pop3-process-test', level: 'fatal' });
/**
 * Small messages before the corpus: more than one checkpoint's worth, so the killed process has
 * saved a cursor while the corpus (its 20 MB message last) is still ahead of it.
 */
const SMALL_MESSAGES = CHECKPOINT_EVERY_MESSAGES + 10;
/** Covers process start-up, the 20 MB message and the fsyncs on a loaded 2-core machine. */
const RUN_DEADLINE_MS = 30_000;

const tenantId = randomUUID();
const mailboxId = randomUUID();
let dovecot: RunningDovecot;
let nats: PrivateNatsServer;
let bus: MessageBus;
let dataDir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before this test`);
  [dovecot, nats] = await Promise.all([startDovecot({ specialUseFolders: false }), startNatsServer()]);
  bus = await MessageBus.connect({ servers: nats.url, name: 'connector-pop3-process-test', logger });
  dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-pop3-process-'));
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await bus?.close();
  await Promise.all([dovecot?.stop(), nats?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the built connector with the environment ConnectorEnv reads. */
function startConnector(caFile: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      MAILKEEP_NATS_URL: nats.url,
      MAILKEEP_DATA_DIR: dataDir,
      MAILKEEP_LOG_LEVEL: 'error',
      // Exactly the test server's ports; the rest of loopback stays refused, as in production.
      MAILKEEP_EGRESS_ALLOW: dovecot.egressAllowance,
      // Node trusts the test server's self-signed certificate: the profile keeps verification on.
      NODE_EXTRA_CA_CERTS: caFile,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => (children.delete(child), resolve())),
  );
  return { child, exited };
}

function events<T>(subject: string): Promise<T[]> {
  return storedEvents<T>(bus, subject);
}

async function cursor(): Promise<Set<string> | undefined> {
  const stored = await (await CursorStore.open<Pop3Cursor>(bus)).get(tenantId, mailboxId, POP3_FOLDER);
  return stored && decodeUidlCursor(stored.value);
}

describe('connector-pop3 as a process', () => {
  it('archives every message exactly once across a SIGKILL and a restart, without moving its cursor back', async () => {
    dovecot.addUser('crash', 'crash-pass');
    for (let i = 0; i < SMALL_MESSAGES; i++) {
      await dovecot.deliver(
        'crash',
        'INBOX',
        Buffer.from(`Message-ID: <crash-${i}@pop3.test>\r\n\r\nbody ${i}\r\n`),
      );
    }
    const corpus = buildMailCorpus({ domain: 'crash.test' });
    for (const message of corpus) await dovecot.deliver('crash', 'INBOX', message.raw);
    const total = SMALL_MESSAGES + corpus.length;

    const now = new Date().toISOString();
    const profile: ArchivingProfile = {
      id: randomUUID(),
      name: 'crash',
      type: 'pop3',
      mode: 'single',
      credentialsSecretId: randomUUID(),
      mailboxId,
      deleteInSource: false,
      serverName: dovecot.host,
      port: dovecot.ports.pop3s,
      protocol: 'pop-ssl',
      timeoutSeconds: 10,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const mailbox: MailboxPayload = {
      id: mailboxId,
      primaryAddress: 'crash',
      secondaryAddresses: [],
      displayName: 'Crash test',
      directoryServiceId: null,
      enabled: true,
      origin: 'manual',
    };
    const secret: ResolvedSecret = {
      id: profile.credentialsSecretId,
      type: 'basic',
      username: 'crash',
      password: 'crash-pass',
    };
    // The three lookups a connector makes for a task, answered with fixed data.
    bus.serve(PROFILE_GET_V1, (request) => Promise.resolve({ ...profile, id: request.id }), {
      queue: 'test',
    });
    bus.serve(MAILBOX_GET_V1, () => Promise.resolve(mailbox), { queue: 'test' });
    bus.serve(SECRET_RESOLVE_V2, (request) => Promise.resolve(sealSecret(request, secret)), {
      queue: 'test',
    });
    const caFile = join(dataDir, 'dovecot-ca.pem');
    writeFileSync(caFile, dovecot.caCertificatePem);

    const task: ArchiveMailboxCommand = {
      taskId: randomUUID(),
      runId: randomUUID(),
      tenantId,
      profileId: profile.id,
      mailboxId,
      profileVersion: 1,
    };
    await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.pop3, task, { msgId: task.taskId });

    // First process: killed as soon as it has saved a cursor, with the corpus still ahead of it.
    const first = startConnector(caFile);
    const atKill = await waitFor(cursor, {
      description: 'a first saved cursor',
      timeoutMs: RUN_DEADLINE_MS,
      intervalMs: 10,
    });
    first.child.kill('SIGKILL');
    await first.exited;
    const archivedAtKill = (await events<MessageArchivedEvent>(MESSAGE_ARCHIVED_V1.subject)).length;
    expect(atKill.size).toBeGreaterThanOrEqual(CHECKPOINT_EVERY_MESSAGES);
    expect(archivedAtKill).toBeLessThan(total); // killed mid-mailbox
    expect(await events(TASK_FINISHED_V1.subject)).toEqual([]);

    // What NATS does by itself after the dead worker's ack deadline (30 s) and its mailbox lease's
    // expiry (60 s), done at once: the lease goes, and a fresh durable hands the unacked task out.
    const leases = await bus.keyValue(MAILBOX_LEASES_BUCKET);
    await leases.purge(mailboxLeaseKey(tenantId, mailboxId));
    await (await bus.jetstreamManager()).consumers.delete(CONNECTOR_COMMANDS_STREAM.name, 'connector-pop3');

    const second = startConnector(caFile);
    try {
      const finished = await waitFor(
        async () =>
          (await events<TaskFinishedEvent>(TASK_FINISHED_V1.subject)).find((e) => e.taskId === task.taskId),
        { description: 'task.finished after the restart', timeoutMs: RUN_DEADLINE_MS, intervalMs: 50 },
      );
      expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
      // The restart resumed from the cursor: it fetched only what the cursor did not hold (those the
      // killed process had announced after its checkpoint are the stream's duplicates).
      expect(finished.counters.messagesArchived + finished.counters.duplicatesSkipped).toBe(
        total - atKill.size,
      );
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }

    const archived = (await events<MessageArchivedEvent>(MESSAGE_ARCHIVED_V1.subject)).filter(
      (e) => e.mailboxId === mailboxId,
    );
    expect(archived).toHaveLength(total); // duplicates by Nats-Msg-Id were dropped by the stream
    expect(new Set(archived.map((e) => e.sourceIdentity)).size).toBe(total);
    const final = await cursor();
    expect(final?.size).toBe(total);
    for (const uidl of atKill) expect(final?.has(uidl)).toBe(true); // no regression

    // And what the processes stored is what the server sent.
    const blobs = new FilesystemBlobStore({ root: join(dataDir, FILESYSTEM_BLOBS_DIR), logger });
    for (const event of archived) {
      const uid = parseInt(event.sourceIdentity.slice('pop3:'.length, 'pop3:'.length + 8), 16);
      const sent = await dovecot.pop3Source('crash', uid);
      expect(event.sha256).toBe(createHash('sha256').update(sent).digest('hex'));
      // Small messages are in segments (decision 0020): the event says where.
      const location =
        event.segmentId === undefined
          ? undefined
          : { segmentId: event.segmentId, offset: event.segmentOffset ?? -1, size: event.size };
      expect((await blobs.stat(tenantId, event.sha256, location))?.size).toBe(sent.length);
    }
    // A bound, not a delay: it delivers every message with doveadm and starts the worker twice,
    // which took over the default minute with another test file beside it on a loaded machine.
  }, 180_000);
});
