import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CursorStore, mailboxLeaseKey } from '@mailkeep/connector-kit';
import {
  ARCHIVE_EVENTS_STREAM,
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  CONNECTOR_COMMANDS_STREAM,
  ContractError,
  MAILBOX_GET_V1,
  MAILBOX_LEASES_BUCKET,
  type MailboxPayload,
  MESSAGE_ARCHIVED_V1,
  PROFILE_GET_V1,
  type ResolvedSecret,
  SECRET_RESOLVE_V2,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { sealSecret } from '@mailkeep/secrets-crypto';
import { createLogger } from '@mailkeep/observability';
import {
  type PrivateNatsServer,
  type RunningDovecot,
  startDovecot,
  startNatsServer,
  waitFor,
} from '@mailkeep/testing';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHECKPOINT_EVERY_MESSAGES } from './archive/archive-folder.js';
import type { ImapCursor } from './cursors/folder-cursor.js';
import {
  archiveCommand,
  basicSecret,
  findTaskFinished,
  imapProfile,
  mailbox,
  storedArchivedEvents,
} from './test-support/fixtures.js';

/**
 * The BUILT worker (`apps/connector-imap/dist/main.js`, run `npm run build` first) as a separate
 * process against Dovecot and a private NATS; this test serves the three lookups it makes
 * (profile, mailbox, secret). Mailbox `bulk`: 450 small messages, one of 150 MB, 20 small ones;
 * the worker is killed with SIGKILL while it streams the large message, a new one finishes the
 * task: every message archived exactly once, the cursor never went back. Mailbox `large`: only the
 * 150 MB message; a fresh worker's peak RSS while archiving it stays far below 150 MB.
 */
const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(APP_DIR, 'dist', 'main.js');
const DOVEADM = process.env.MAILKEEP_TEST_DOVEADM ?? '/usr/bin/doveadm';
const logger = createLogger({ service: 'connector-imap-process-test', level: 'fatal' });

/** Small messages before the large one: more than two checkpoints' worth (every 200). */
const SMALL_BEFORE = 450;
const SMALL_AFTER = 20;
const TOTAL = SMALL_BEFORE + 1 + SMALL_AFTER;
/** The size for C3: a message that must not need its own size in memory. */
const LARGE_BYTES = 150 * 1024 * 1024;
/**
 * Peak RSS growth of a warmed-up worker while it archives the 150 MB message, with Node's default
 * flags: below the message's size, i.e. the message is never held whole. Measured 86–101 MB here
 * (the same for 150 and 400 MB messages): V8 lets its young generation grow to ~100 MB under a
 * high allocation rate before it collects, so a tighter bound would test V8's policy, not ours.
 */
const MAX_RSS_GROWTH_DEFAULT_BYTES = LARGE_BYTES;
/**
 * The same with V8's young generation pinned small (`--max-semi-space-size=2`), which leaves what
 * the pipeline really retains: measured ~15 MB; 48 MB is three times that and a third of the message.
 */
const MAX_RSS_GROWTH_PINNED_BYTES = 48 * 1024 * 1024;
/** Semi-space of the pinned run, in MB: V8's minimum-ish, so garbage is collected promptly. */
const PINNED_SEMI_SPACE_MB = 2;
/** Start-up of a worker process (Nest, NATS, streams) takes ~1 s; 30 s only bounds a hang. */
const READY_TIMEOUT_MS = 30_000;
/** The whole mailbox (~155 MB) takes a few seconds here; 60 s bounds a hang on a slow box. */
const FINISH_TIMEOUT_MS = 60_000;

let nats: PrivateNatsServer;
let dovecot: RunningDovecot;
let bus: MessageBus;
let dataDir: string;
let largeFile: string;
let largeSha256: string;
const children = new Set<ChildProcess>();

/** Fails when a source file has no build output or a newer one: the test would run old code. */
function assertBuilt(): void {
  const sourceDir = join(APP_DIR, 'src');
  const stale = readdirSync(sourceDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /(?<!\.spec|\.int-spec)\.ts$/.test(entry.name))
    .map((entry) => relative(sourceDir, join(entry.parentPath, entry.name)))
    .filter((path) => !path.startsWith('test-support'))
    .filter((path) => {
      const built = join(APP_DIR, 'dist', path.replace(/\.ts$/, '.js'));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(sourceDir, path)).mtimeMs;
    });
  if (stale.length > 0)
    throw new Error(`dist is missing or older than ${stale.join(', ')}: run "npm run build" first`);
}

function startWorker(nodeFlags: readonly string[] = []): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...nodeFlags, MAIN], {
    env: {
      ...process.env,
      MAILKEEP_NATS_URL: nats.url,
      MAILKEEP_DATA_DIR: dataDir,
      MAILKEEP_LOG_LEVEL: 'warn',
      // Exactly the test server's ports; the rest of loopback stays refused, as in production.
      MAILKEEP_EGRESS_ALLOW: dovecot.egressAllowance,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  // The last 20 KB of its logs, for the failure message of a test.
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

const profiles = new Map<string, ArchivingProfile>();
const mailboxes = new Map<string, MailboxPayload>();
const secrets = new Map<string, ResolvedSecret>();

/** What the profiles, directory and secrets services would answer for this target. */
function serveTarget(profile: ArchivingProfile, secret: ResolvedSecret, box: MailboxPayload): void {
  profiles.set(profile.id, profile);
  secrets.set(secret.id, secret);
  mailboxes.set(box.id, box);
}

function found<T>(map: Map<string, T>, id: string, what: string): T {
  const value = map.get(id);
  if (!value) throw new ContractError('NOT_FOUND', `no ${what} ${id}`);
  return value;
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes, from /proc. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Resets a process's VmHWM to its current RSS (Linux 4.0+, `clear_refs` value 5). */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Ready = its pull on the connector-imap durable is waiting for work. */
async function workerReady(child: ChildProcess): Promise<void> {
  const jsm = await bus.jetstreamManager();
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
      const info = await jsm.consumers
        .info(CONNECTOR_COMMANDS_STREAM.name, 'connector-imap')
        .catch(() => undefined);
      return (info?.num_waiting ?? 0) > 0;
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 50, description: 'worker pulling from connector-imap' },
  );
}

async function archivedCount(): Promise<number> {
  const jsm = await bus.jetstreamManager();
  const info = await jsm.streams.info(ARCHIVE_EVENTS_STREAM.name, {
    subjects_filter: MESSAGE_ARCHIVED_V1.subject,
  });
  return info.state.subjects?.[MESSAGE_ARCHIVED_V1.subject] ?? 0;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** A 150 MB message with CRLF line ends only (so the server sends these very bytes), written as a stream. */
async function writeLargeMessage(path: string): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const write = async (chunk: Buffer) => {
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(
    Buffer.from(
      'From: big@example.test\r\nTo: bulk@example.test\r\nSubject: 150 MB\r\nMessage-ID: <large@example.test>\r\n' +
        'MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n',
    ),
  );
  // 1 MiB blocks of base64 lines (76 characters + CRLF) from fresh random bytes, so no two blocks are alike.
  const lineCount = Math.floor((1024 * 1024) / 78);
  let written = 0;
  while (written < LARGE_BYTES) {
    const encoded = randomBytes(lineCount * 57).toString('base64');
    const lines: string[] = [];
    for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
    const block = Buffer.from(`${lines.join('\r\n')}\r\n`, 'ascii');
    await write(block);
    written += block.length;
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

/** `doveadm save` with the file as its stdin: the 150 MB never sits in this process's memory. */
async function saveFromFile(user: string, folder: string, path: string): Promise<void> {
  const child = spawn(DOVEADM, ['-c', dovecot.configPath, 'save', '-u', user, '-m', folder], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  createReadStream(path).pipe(child.stdin);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`doveadm save failed (${code}): ${stderr}`);
}

async function appendSmall(client: ImapFlow, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const body = `${prefix} ${i} `.repeat(200);
    await client.append(
      'INBOX',
      Buffer.from(
        `From: a@example.test\r\nTo: bulk@example.test\r\nSubject: ${prefix} ${i}\r\nMessage-ID: <${prefix}-${i}@example.test>\r\n\r\n${body}\r\n`,
      ),
    );
  }
}

beforeAll(async () => {
  assertBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-imap-process-'));
  largeFile = join(dataDir, 'large.eml');
  [nats, dovecot, largeSha256] = await Promise.all([
    startNatsServer(),
    startDovecot({
      users: [
        { name: 'bulk', password: 'bulk-pass' },
        { name: 'large', password: 'large-pass' },
        { name: 'warm', password: 'warm-pass' },
      ],
      specialUseFolders: false,
    }),
    writeLargeMessage(largeFile),
  ]);
  bus = await MessageBus.connect({ servers: nats.url, name: 'connector-imap-process-test', logger });
  bus.serve(PROFILE_GET_V1, ({ id }) => Promise.resolve(found(profiles, id, 'profile')), { queue: 'test' });
  bus.serve(MAILBOX_GET_V1, ({ id }) => Promise.resolve(found(mailboxes, id, 'mailbox')), {
    queue: 'test',
  });
  bus.serve(
    SECRET_RESOLVE_V2,
    (request) => Promise.resolve(sealSecret(request, found(secrets, request.id, 'secret'))),
    {
      queue: 'test',
    },
  );

  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.ports.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user: 'bulk', pass: 'bulk-pass' },
    logger: false,
  });
  client.on('error', () => undefined); // failures surface as rejected commands
  await client.connect();
  await appendSmall(client, SMALL_BEFORE, 'before');
  await saveFromFile('bulk', 'INBOX', largeFile);
  await saveFromFile('large', 'INBOX', largeFile);
  for (const subject of ['warm 1', 'warm 2', 'warm 3']) {
    await dovecot.deliver('warm', 'INBOX', Buffer.from(`Subject: ${subject}\r\n\r\nwarming up\r\n`));
  }
  await appendSmall(client, SMALL_AFTER, 'after');
  await client.logout();
}, 120_000);

afterAll(async () => {
  await Promise.all([...children].map((child) => kill(child, 'SIGKILL')));
  await bus?.close();
  await Promise.all([nats?.stop(), dovecot?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the built worker process', () => {
  it('killed with SIGKILL mid-mailbox and restarted, archives every message exactly once, the cursor never back', async () => {
    const profile = imapProfile({ port: dovecot.ports.imaps, protocol: 'imap-ssl' });
    const box = mailbox('bulk');
    serveTarget(profile, basicSecret('bulk', 'bulk-pass', profile.credentialsSecretId), box);
    const task = archiveCommand({ profileId: profile.id, mailboxId: box.id });
    const cursors = await CursorStore.open<ImapCursor>(bus);
    const cursor = async () => (await cursors.get(task.tenantId, task.mailboxId, 'INBOX'))?.value;

    const first = startWorker();
    await workerReady(first.child);
    await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.imap, task, { msgId: task.taskId });

    // All small messages before the large one are in: the worker is now streaming 150 MB.
    await waitFor(async () => (await archivedCount()) >= SMALL_BEFORE, {
      timeoutMs: FINISH_TIMEOUT_MS,
      description: `${SMALL_BEFORE} messages archived`,
    });
    await kill(first.child, 'SIGKILL');
    const atKill = await archivedCount();
    expect(atKill).toBeLessThan(TOTAL); // really mid-mailbox
    const cursorAtKill = await cursor();
    // A checkpoint every 200 settled messages saves the safe position, which trails the settled
    // count by the messages still in flight (decision 0009): with 450 settled, the second one
    // (at 400) has moved the cursor past the first one's 200 (a run here saved 398).
    expect(cursorAtKill?.lastUid).toBeGreaterThan(CHECKPOINT_EVERY_MESSAGES);

    // What NATS would do after the ack deadline and the lease's expiry (30 s and 60 s), done at
    // once: the dead worker's lease goes, and a fresh durable hands the unacked task out again.
    const leases = await bus.keyValue(MAILBOX_LEASES_BUCKET);
    await leases.purge(mailboxLeaseKey(task.tenantId, task.mailboxId));
    await (await bus.jetstreamManager()).consumers.delete(CONNECTOR_COMMANDS_STREAM.name, 'connector-imap');

    const second = startWorker();
    const finished = await waitFor(() => findTaskFinished(bus, task.taskId), {
      timeoutMs: FINISH_TIMEOUT_MS,
      intervalMs: 100,
      description: `task.finished of ${task.taskId}; worker output:\n${second.output()}`,
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- second worker ---\n${second.output()}`);
    });
    await kill(second.child, 'SIGTERM');

    expect(finished).toMatchObject({ status: 'succeeded', counters: { messagesFailed: 0 } });
    const events = (await storedArchivedEvents(bus)).filter((e) => e.mailboxId === task.mailboxId);
    const identities = new Set(events.map((e) => e.sourceIdentity));
    expect(identities.size).toBe(TOTAL);
    expect(events).toHaveLength(TOTAL); // the stream dropped every re-sent duplicate
    const large = events.find((e) => e.size > LARGE_BYTES);
    expect(large).toMatchObject({ sha256: largeSha256, size: statSync(largeFile).size });
    expect((await cursor())?.lastUid).toBe(TOTAL);
    expect((await cursor())?.lastUid).toBeGreaterThanOrEqual(cursorAtKill?.lastUid ?? Infinity);
  });

  it.each([
    ['default flags', [], MAX_RSS_GROWTH_DEFAULT_BYTES],
    [
      'a small young generation',
      [`--max-semi-space-size=${PINNED_SEMI_SPACE_MB}`],
      MAX_RSS_GROWTH_PINNED_BYTES,
    ],
  ] as const)(
    'archives a 150 MB message with a peak RSS far below its size (C3), %s',
    async (label, flags, bound) => {
      const worker = startWorker(flags);
      await workerReady(worker.child);
      const pid = worker.child.pid as number;
      const run = async (user: string) => {
        const profile = imapProfile({ port: dovecot.ports.imap, protocol: 'imap-tls' });
        const task = archiveCommand({ profileId: profile.id, mailboxId: randomUUID() });
        serveTarget(
          profile,
          basicSecret(user, `${user}-pass`, profile.credentialsSecretId),
          mailbox(user, task.mailboxId),
        );
        await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.imap, task, { msgId: task.taskId });
        return waitFor(() => findTaskFinished(bus, task.taskId), {
          timeoutMs: FINISH_TIMEOUT_MS,
          intervalMs: 100,
          description: `task.finished of ${task.taskId}`,
        });
      };
      // A first small task warms the worker up (code paths compiled, heap sized, TLS and NATS
      // buffers allocated), so what follows measures what the message's size costs.
      expect(await run('warm')).toMatchObject({ status: 'succeeded', counters: { messagesArchived: 3 } });
      const before = memory(pid).rss;
      resetPeak(pid);
      const finished = await run('large');
      const peak = memory(pid).peak;
      await kill(worker.child, 'SIGTERM');

      expect(finished).toMatchObject({
        status: 'succeeded',
        counters: { messagesArchived: 1, bytesArchived: statSync(largeFile).size },
      });
      const growth = peak - before;
      console.info(
        `worker RSS (${label}): ${(before / 2 ** 20).toFixed(1)} MiB before the 150 MB message, peak ` +
          `${(peak / 2 ** 20).toFixed(1)} MiB while archiving it (+${(growth / 2 ** 20).toFixed(1)} MiB)`,
      );
      expect(growth).toBeLessThan(bound);
    },
  );
});
