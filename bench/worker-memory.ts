/**
 * Memory of a connector worker (issue 9, deliverable 5; SPEC §6 Memory, target: growth from a 1 MB
 * to a 150 MB message below 64 MB):
 *
 * 1. The built IMAP worker alone (as apps/connector-imap/src/worker-process.int-spec.ts runs it,
 *    with the launcher's `--max-semi-space-size=2`), this process serving its profile, mailbox and
 *    secret lookups; after a warm-up task, its peak RSS (VmHWM, reset before each task) while
 *    archiving a mailbox holding one message of 1 MB, then 50 MB, then 150 MB, over implicit TLS.
 * 2. Twenty mailboxes at once: the whole platform with one worker taking all 20 tasks together
 *    (MAILKEEP_CONNECTOR_CONCURRENCY=20), the size mix spread over 20 mailboxes.
 *
 * Alone: `npx node bench/worker-memory.ts [--scale 0.01]` (the scale sizes part 2 only; the
 * single messages are always 1 / 50 / 150 MB). Prints JSON.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  CONNECTOR_COMMANDS_STREAM,
  type MailboxPayload,
  type ResolvedSecret,
} from '@mailkeep/contracts';
import { type RunningDovecot, startDovecot, waitFor } from '@mailkeep/testing';

import { createCorpus } from '#corpus/corpus';
import { scaleFromArgs } from '#lib/args';
import { type Measurement, round } from '#lib/measure';
import { memory, resetPeak } from '#lib/proc';
import { startBenchPlatform } from '#lib/services';
import { serveTaskTargets } from '#lib/task-targets';
import { measureMailkeep } from '#bench/mailkeep-e2e';

const MB = 1000 * 1000;
/** The three sizes. */
export const MESSAGE_SIZES_MB: readonly number[] = [1, 50, 150];
/** SPEC §6 / issue 9: RSS growth from the 1 MB to the 150 MB message must stay below this. */
export const GROWTH_TARGET_MIB = 64;
/** Mailboxes archived at once by one worker in part 2 (the figure). */
export const CONCURRENT_MAILBOXES = 20;
/** Share of the size mix spread over the 20 mailboxes, relative to --scale (a quarter: 5,000 messages at scale 1). */
const CONCURRENT_CORPUS_SHARE = 0.25;
/** A 150 MB message takes seconds here; ten minutes bound a hang. */
const TASK_TIMEOUT_MS = 10 * 60 * 1000;

export interface MessageMemory {
  readonly sizeMB: number;
  readonly rssBeforeMiB: number;
  readonly peakMiB: number;
  readonly growthMiB: number;
  readonly seconds: number;
}

/** One message of `bytes` (LF line ends, base64 body of random bytes) written straight into a Maildir. */
async function writeLargeMessage(dovecot: RunningDovecot, user: string, bytes: number): Promise<void> {
  const dir = join(dovecot.runDir, 'mail', user, 'Maildir');
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, sub), { recursive: true });
  // Dovecot reads the size from the file when the name does not carry S=/W=.
  const out = createWriteStream(join(dir, 'new', `${Date.now()}.M1P1.${user}`));
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    `From: big@example.com\nTo: ${user}\nSubject: ${bytes / MB} MB\nMessage-ID: <${randomUUID()}@bench>\n` +
      'MIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n',
  );
  // 1 MiB blocks of 76-character base64 lines from fresh random bytes.
  const lineCount = Math.floor((1024 * 1024) / 77);
  for (let written = 0; written < bytes;) {
    const encoded = randomBytes(lineCount * 57).toString('base64');
    const lines: string[] = [];
    for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
    const block = `${lines.join('\n')}\n`;
    await write(block);
    written += block.length;
  }
  out.end();
  await once(out, 'finish');
}

export async function measureMessageSizes(log: (line: string) => void): Promise<MessageMemory[]> {
  const users = ['warm', ...MESSAGE_SIZES_MB.map((mb) => `m${mb}`)];
  const dovecot = await startDovecot({
    users: users.map((name) => ({ name, password: `${name}-pass` })),
    specialUseFolders: false,
  });
  const platform = await startBenchPlatform({
    workers: 1,
    services: [],
    // Exactly the benchmark server's ports: the egress policy stays on, as in production.
    env: { MAILKEEP_EGRESS_ALLOW: dovecot.egressAllowance },
  }).catch(async (error: unknown) => {
    await dovecot.stop();
    throw error;
  });
  try {
    for (let i = 0; i < 3; i++) await writeLargeMessage(dovecot, 'warm', 4_000);
    for (const mb of MESSAGE_SIZES_MB) await writeLargeMessage(dovecot, `m${mb}`, mb * MB);
    if (process.getuid?.() === 0) {
      await promisify(execFile)('chown', ['-R', 'dovecot:dovecot', join(dovecot.runDir, 'mail')]);
    }
    const { bus } = platform;
    const tenantId = randomUUID();
    const served = serveTaskTargets(bus);
    const worker = platform.workers[0];
    if (!worker) throw new Error('no worker');
    const pid = worker.child.pid as number;
    // The worker pulls its first task only once its consumer exists.
    const jsm = await bus.jetstreamManager();
    await waitFor(
      async () =>
        ((await jsm.consumers.info(CONNECTOR_COMMANDS_STREAM.name, 'connector-imap').catch(() => undefined))
          ?.num_waiting ?? 0) > 0,
      { timeoutMs: 60_000, intervalMs: 50, description: 'worker pulling' },
    );

    const archive = async (user: string): Promise<number> => {
      const now = new Date().toISOString();
      const profile: ArchivingProfile = {
        id: randomUUID(),
        name: `bench ${user}`,
        type: 'imap',
        mode: 'single',
        credentialsSecretId: randomUUID(),
        mailboxId: randomUUID(),
        deleteInSource: false,
        serverName: dovecot.host,
        port: dovecot.ports.imaps,
        protocol: 'imap-ssl',
        timeoutSeconds: 120,
        ignoreTlsCertificateErrors: true,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const mailbox: MailboxPayload = {
        id: profile.mailboxId as string,
        primaryAddress: user,
        secondaryAddresses: [],
        displayName: '',
        directoryServiceId: null,
        enabled: true,
        origin: 'manual',
      };
      const secret: ResolvedSecret = {
        id: profile.credentialsSecretId,
        type: 'basic',
        username: user,
        password: `${user}-pass`,
      };
      served.add({ profile, mailbox, secret });
      const taskId = randomUUID();
      const started = performance.now();
      await bus.publish(
        CONNECTOR_ARCHIVE_MAILBOX_V1.imap,
        {
          taskId,
          runId: randomUUID(),
          tenantId,
          profileId: profile.id,
          mailboxId: mailbox.id,
          profileVersion: 1,
        },
        { msgId: taskId },
      );
      const finished = await waitFor(() => served.finished.get(taskId), {
        timeoutMs: TASK_TIMEOUT_MS,
        intervalMs: 50,
        description: `task of ${user} finished`,
      });
      if (finished.status !== 'succeeded' || finished.counters.messagesArchived < 1) {
        throw new Error(`task of ${user}: ${JSON.stringify(finished)}\n${worker.output()}`);
      }
      return (performance.now() - started) / 1000;
    };

    // Warm-up: code compiled, heap sized, TLS and NATS buffers allocated before measuring.
    await archive('warm');
    const results: MessageMemory[] = [];
    for (const mb of MESSAGE_SIZES_MB) {
      const before = memory(pid)?.rss ?? NaN;
      resetPeak(pid);
      const seconds = await archive(`m${mb}`);
      const peak = memory(pid)?.peak ?? NaN;
      const result = {
        sizeMB: mb,
        rssBeforeMiB: round(before / 2 ** 20, 1),
        peakMiB: round(peak / 2 ** 20, 1),
        growthMiB: round((peak - before) / 2 ** 20, 1),
        seconds: round(seconds),
      };
      log(
        `  ${mb} MB message: peak ${result.peakMiB} MiB (+${result.growthMiB} MiB over ${result.rssBeforeMiB} MiB)`,
      );
      results.push(result);
    }
    served.stop();
    return results;
  } finally {
    await platform.stop();
    await dovecot.stop();
  }
}

/** One worker archiving CONCURRENT_MAILBOXES mailboxes at once, through the whole platform. */
export async function measureConcurrentMailboxes(
  scale: number,
  log: (line: string) => void,
): Promise<Measurement> {
  const corpus = await createCorpus({
    kind: 'size-mix',
    scale: scale * CONCURRENT_CORPUS_SHARE,
    users: CONCURRENT_MAILBOXES,
  });
  try {
    const m = await measureMailkeep(corpus, {
      workers: 1,
      storage: 'filesystem',
      concurrency: CONCURRENT_MAILBOXES,
    });
    log(
      `  ${CONCURRENT_MAILBOXES} mailboxes at once, one worker: peak RSS ${m.peakRssMiB?.toFixed(1)} MiB, ${m.seconds.toFixed(2)} s`,
    );
    return { ...m, label: `Mailkeep, 1 worker, ${CONCURRENT_MAILBOXES} mailboxes at once, filesystem` };
  } finally {
    await corpus.stop();
  }
}

if (import.meta.main) {
  const log = (line: string) => console.error(line);
  const sizes = await measureMessageSizes(log);
  const concurrent = await measureConcurrentMailboxes(scaleFromArgs(), log);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const growth = first && last ? round(last.peakMiB - first.peakMiB, 1) : NaN;
  console.log(
    JSON.stringify(
      {
        singleMessage: sizes,
        growthFrom1To150MBMiB: growth,
        target: `< ${GROWTH_TARGET_MIB} MiB`,
        met: growth < GROWTH_TARGET_MIB,
        concurrentMailboxes: {
          mailboxes: CONCURRENT_MAILBOXES,
          messages: concurrent.messages,
          seconds: round(concurrent.seconds),
          peakRssMiB: round(concurrent.peakRssMiB ?? NaN, 1),
          details: concurrent.details,
        },
      },
      null,
      2,
    ),
  );
}
