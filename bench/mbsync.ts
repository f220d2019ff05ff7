/**
 * The peer (issue 9, deliverable 3): mbsync (Debian `isync`) pulling the same corpus over the same
 * transport into a Maildir, fsync on (its default), one channel per mailbox logged in as the master
 * user, TLS trusting the harness's certificate. Two ways: one mbsync process doing the mailboxes
 * one after the other, and one process per mailbox at once (mbsync has no parallelism of its own;
 * this gives it both cores, as Mailkeep's workers have). Verified by counting the files it wrote.
 *
 * Installs isync with apt-get when mbsync is missing (as root). Alone:
 * `npx node bench/mbsync.ts [size-mix|count-heavy] [--scale 0.01]` (prints JSON).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { MASTER_USER_SEPARATOR } from '@mailkeep/testing';

import { type Corpus, createCorpus, describeCorpus } from '#corpus/corpus';
import { scaleFromArgs } from '#lib/args';
import { onSignalCleanup } from '#lib/cleanup';
import { dovecotMasterPid, type Measurement, megabytesPerSecond, round, since } from '#lib/measure';
import { treeCpuSeconds } from '#lib/proc';

const MBSYNC = process.env.MAILKEEP_BENCH_MBSYNC ?? '/usr/bin/mbsync';
/** Clock ticks per second of /proc/<pid>/stat (Linux: 100). */
const CLOCK_TICKS = 100;
const execFileAsync = promisify(execFile);

/** Installs isync when mbsync is missing; returns its version line. */
export async function ensureMbsync(log: (line: string) => void): Promise<string> {
  if (!existsSync(MBSYNC)) {
    log('  mbsync missing: apt-get install isync');
    await execFileAsync('apt-get', ['update', '-qq'], { maxBuffer: 64 * 1024 * 1024 });
    await execFileAsync('apt-get', ['install', '-y', '-qq', 'isync'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  const { stdout } = await execFileAsync(MBSYNC, ['--version']);
  return stdout.trim();
}

function config(
  corpus: Corpus,
  tls: boolean,
  caPath: string,
  target: string,
  users: readonly string[],
): string {
  const { dovecot } = corpus;
  const blocks = users.map((user, i) =>
    [
      `IMAPAccount a${i}`,
      // mbsync 1.4 matches the certificate's DNS names only (not its IP SAN): the name, for TLS.
      `Host ${tls ? 'localhost' : dovecot.host}`,
      `Port ${tls ? dovecot.ports.imaps : dovecot.ports.imap}`,
      `User "${user}${MASTER_USER_SEPARATOR}${dovecot.masterUser.name}"`,
      `Pass "${dovecot.masterUser.password}"`,
      `SSLType ${tls ? 'IMAPS' : 'None'}`,
      ...(tls ? [`CertificateFile ${caPath}`] : []),
      // LOGIN over plain text must be allowed explicitly; the same mechanism over TLS.
      'AuthMechs LOGIN',
      // mbsync gives up a connection after 20 s of silence by default; Mailkeep's bench profile
      // allows 120 s (a loaded 2-core machine with 20 processes at once can take longer than 20).
      'Timeout 120',
      '',
      `IMAPStore r${i}`,
      `Account a${i}`,
      '',
      `MaildirStore l${i}`,
      `Path ${join(target, String(i))}/`,
      `Inbox ${join(target, String(i), 'INBOX')}`,
      'SubFolders Verbatim',
      '',
      `Channel c${i}`,
      `Far :r${i}:`,
      `Near :l${i}:`,
      'Patterns *',
      'Create Near',
      'Sync Pull',
      'SyncState *',
      '',
    ].join('\n'),
  );
  // FSync is mbsync's default; stated so the comparison with a durable archiver is explicit.
  return `FSync yes\n\n${blocks.join('\n')}`;
}

/** Runs mbsync under a shell that prints its children's CPU ticks (cutime + cstime) when done. */
async function runMbsync(configPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'sh',
      ['-c', '"$0" -q -c "$1" -a || exit $?; cat /proc/$$/stat', MBSYNC, configPath],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`mbsync failed (${code}): ${err.slice(-2000)}`));
      const fields = out.slice(out.lastIndexOf(')') + 2).split(' ');
      resolve((Number(fields[16 - 3]) + Number(fields[17 - 3])) / CLOCK_TICKS);
    });
  });
}

function countMessages(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\/(cur|new)$/.test(entry.parentPath)) count += 1;
  }
  return count;
}

/** mbsync's config files for groups of mailboxes (one process each), in a work directory of their own. */
interface MbsyncSetup {
  readonly configs: readonly string[];
  /** The Maildirs' root. */
  readonly target: string;
  remove(): Promise<void>;
}

async function setUpMbsync(
  corpus: Corpus,
  tls: boolean,
  groups: readonly (readonly string[])[],
): Promise<MbsyncSetup> {
  const work = await mkdtemp(join(tmpdir(), 'mailkeep-bench-mbsync-'));
  const forget = onSignalCleanup(() => rm(work, { recursive: true, force: true }));
  const remove = async () => {
    forget();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const caPath = join(work, 'ca.pem');
    await writeFile(caPath, corpus.dovecot.caCertificatePem);
    const target = join(work, 'maildir');
    const configs = await Promise.all(
      groups.map(async (users, i) => {
        const path = join(work, `mbsyncrc-${i}`);
        // mbsync creates folders inside a store, not the store's own directory.
        for (let u = 0; u < users.length; u++)
          await mkdir(join(target, `g${i}`, String(u)), { recursive: true });
        await writeFile(path, config(corpus, tls, caPath, join(target, `g${i}`), users), {
          mode: 0o600,
        });
        return path;
      }),
    );
    return { configs, target, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** One pass of every process at once: wall seconds, the processes' and Dovecot's CPU seconds. */
async function runMbsyncPass(
  corpus: Corpus,
  configs: readonly string[],
): Promise<{ seconds: number; clientCpuSeconds: number; serverCpuSeconds: number }> {
  const master = dovecotMasterPid(corpus.dovecot);
  const serverBefore = treeCpuSeconds([master]);
  const started = performance.now();
  // Every process ends before a failure is reported: the caller removes the Maildirs they write.
  const settled = await Promise.allSettled(configs.map((path) => runMbsync(path)));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const cpu = settled.map((s) => (s.status === 'fulfilled' ? s.value : 0));
  return {
    seconds: since(started),
    clientCpuSeconds: cpu.reduce((a, b) => a + b, 0),
    serverCpuSeconds: treeCpuSeconds([master]) - serverBefore,
  };
}

/** The users in groups of `size` (the last one smaller). */
export function inGroupsOf<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

export async function measureMbsync(
  corpus: Corpus,
  options: { tls: boolean; processes: 'one' | 'per-mailbox' },
): Promise<Measurement> {
  const groups = options.processes === 'one' ? [corpus.users] : corpus.users.map((u) => [u]);
  const setup = await setUpMbsync(corpus, options.tls, groups);
  try {
    const pass = await runMbsyncPass(corpus, setup.configs);
    const written = countMessages(setup.target);
    if (written !== corpus.messages.length) {
      throw new Error(`mbsync wrote ${written} messages, the corpus has ${corpus.messages.length}`);
    }
    return {
      group: 'peer',
      corpus: corpus.kind,
      label: `mbsync, ${options.tls ? 'TLS' : 'plain'}, ${options.processes === 'one' ? '1 process' : `${groups.length} processes (one per mailbox)`}`,
      ...pass,
      messages: corpus.messages.length,
      bytes: corpus.totalBytes,
      note: `${written} messages in its Maildir; FSync yes`,
    };
  } finally {
    await setup.remove();
  }
}

/**
 * The incremental scenario (issue 24 item 7): mbsync over TLS with `channelsPerProcess` mailboxes
 * per process, all processes at once, a first pass and then a pass with nothing new on the same
 * Maildirs and sync state. Verified by counting the files after the first pass and again after
 * the second (nothing added).
 */
export async function measureMbsyncPasses(
  corpus: Corpus,
  channelsPerProcess: number,
): Promise<{ processes: number; first: MbsyncPassFigures; idle: MbsyncPassFigures }> {
  const groups = inGroupsOf(corpus.users, channelsPerProcess);
  const setup = await setUpMbsync(corpus, true, groups);
  try {
    const first = await runMbsyncPass(corpus, setup.configs);
    const written = countMessages(setup.target);
    if (written !== corpus.messages.length) {
      throw new Error(`mbsync wrote ${written} messages, the corpus has ${corpus.messages.length}`);
    }
    const idle = await runMbsyncPass(corpus, setup.configs);
    const after = countMessages(setup.target);
    if (after !== written) throw new Error(`mbsync's idle pass changed the Maildirs: ${written} → ${after}`);
    return { processes: groups.length, first, idle };
  } finally {
    await setup.remove();
  }
}

export type MbsyncPassFigures = Awaited<ReturnType<typeof runMbsyncPass>>;

export async function measurePeer(corpus: Corpus, log: (line: string) => void): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const tls of [true, false]) {
    for (const processes of ['one', 'per-mailbox'] as const) {
      const m = await measureMbsync(corpus, { tls, processes });
      log(`  ${m.label}: ${m.seconds.toFixed(2)} s, ${megabytesPerSecond(m).toFixed(0)} MB/s`);
      results.push(m);
    }
  }
  return results;
}

if (import.meta.main) {
  const kind = process.argv.slice(2).find((a) => a === 'size-mix' || a === 'count-heavy') ?? 'size-mix';
  const version = await ensureMbsync((line) => console.error(line));
  const corpus = await createCorpus({ kind, scale: scaleFromArgs() });
  try {
    const results = await measurePeer(corpus, (line) => console.error(line));
    console.log(
      JSON.stringify(
        {
          mbsync: version,
          corpus: describeCorpus(corpus),
          results: results.map((m) => ({
            label: m.label,
            seconds: round(m.seconds),
            mbPerSecond: round(megabytesPerSecond(m), 1),
            messagesPerSecond: round(m.messages / m.seconds, 0),
            clientCpuSeconds: round(m.clientCpuSeconds ?? NaN),
            serverCpuSeconds: round(m.serverCpuSeconds ?? NaN),
          })),
        },
        null,
        2,
      ),
    );
  } finally {
    await corpus.stop();
  }
}
