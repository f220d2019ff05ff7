/**
 * The ceilings of issue 9 (deliverable 2), measured against the same corpus in the same run as
 * Mailkeep, so ratios compare like with like on this machine and this moment:
 *
 * - fetch: the minimal raw IMAP client (bench/lib/raw-imap.ts), one `UID FETCH 1:* BODY.PEEK[]`
 *   per folder, streaming literal parser, plain and implicit TLS, with and without SHA-256 of
 *   every message, one and two connections (one session per mailbox, master-user logins);
 * - durable write: the corpus's bytes (as served, CRLF) written the way the filesystem blob driver
 *   does it (libs/storage/src/filesystem: temporary file, write, fsync, rename to the content
 *   address, fsync of the directory), one and four files in flight.
 *
 * The ceiling of SPEC §6 is the slower of the two floors: TLS fetch with hashing, durable write.
 *
 * Alone: `npx node bench/ceilings.ts [size-mix|count-heavy] [--scale 0.01]` (prints JSON).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, open, readFile, rename, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { type Corpus, createCorpus, describeCorpus } from '#corpus/corpus';
import { scaleFromArgs } from '#lib/args';
import { onSignalCleanup } from '#lib/cleanup';
import {
  dovecotMasterPid,
  type Measurement,
  megabytesPerSecond,
  ownCpuSeconds,
  round,
  since,
} from '#lib/measure';
import { treeCpuSeconds } from '#lib/proc';
import { fetchMailboxes } from '#lib/raw-imap';

/** The fetch variants: the table (plain, hashing, TLS) and two connections (both cores). */
export const FETCH_VARIANTS: readonly { tls: boolean; hash: boolean; connections: number }[] = [
  { tls: false, hash: false, connections: 1 },
  { tls: false, hash: true, connections: 1 },
  { tls: true, hash: true, connections: 1 },
  { tls: false, hash: true, connections: 2 },
  { tls: true, hash: true, connections: 2 },
];
/**
 * One file at a time, four (a worker with four mailboxes) and sixteen: Mailkeep keeps up to eight
 * messages of each mailbox in flight, so the ceiling is measured with as much overlap (the best
 * of these is the floor).
 */
export const WRITE_IN_FLIGHT: readonly number[] = [1, 4, 16];

function fetchLabel(v: { tls: boolean; hash: boolean; connections: number }): string {
  return `raw fetch, ${v.tls ? 'TLS' : 'plain'}${v.hash ? ', SHA-256' : ''}, ${v.connections} connection${v.connections > 1 ? 's' : ''}`;
}

export async function fetchCeiling(
  corpus: Corpus,
  variant: { tls: boolean; hash: boolean; connections: number },
): Promise<Measurement> {
  const dovecot = corpus.dovecot;
  const master = dovecotMasterPid(dovecot);
  const serverBefore = treeCpuSeconds([master]);
  const clientBefore = ownCpuSeconds();
  const started = performance.now();
  let mismatches = 0;
  const result = await fetchMailboxes({
    server: {
      host: dovecot.host,
      port: variant.tls ? dovecot.ports.imaps : dovecot.ports.imap,
      tls: variant.tls,
      ca: dovecot.caCertificatePem,
    },
    masterUser: dovecot.masterUser,
    mailboxes: corpus.mailboxes,
    connections: variant.connections,
    hash: variant.hash,
    onMessage: (user, m) => {
      if (variant.hash && corpus.reference.get(`${user}\u0000${m.folder}\u0000${m.uid}`) !== m.sha256) {
        mismatches += 1;
      }
    },
  });
  const seconds = since(started);
  if (result.messages !== corpus.messages.length || mismatches > 0) {
    throw new Error(
      `${fetchLabel(variant)}: ${result.messages} of ${corpus.messages.length} messages, ${mismatches} differ from the reference`,
    );
  }
  return {
    group: 'ceiling',
    corpus: corpus.kind,
    label: fetchLabel(variant),
    seconds,
    messages: result.messages,
    bytes: result.bytes,
    clientCpuSeconds: ownCpuSeconds() - clientBefore,
    serverCpuSeconds: treeCpuSeconds([master]) - serverBefore,
    // No peak RSS: the fetcher runs inside the bench process, which also holds the corpus's index.
  };
}

/**
 * Writes every message of the corpus (read from its Maildir file — in the page cache after the
 * digest pass — with LF turned into CRLF, i.e. the bytes an archiver receives) as the filesystem
 * blob driver does, `inFlight` at a time, into a fresh directory on the same filesystem as the
 * platform's data directory (os.tmpdir()).
 */
export async function writeCeiling(corpus: Corpus, inFlight: number): Promise<Measurement> {
  const root = await mkdtemp(join(tmpdir(), 'mailkeep-bench-write-'));
  const forget = onSignalCleanup(() => rm(root, { recursive: true, force: true }));
  try {
    const tmp = join(root, 'tmp');
    await mkdir(tmp);
    const clientBefore = ownCpuSeconds();
    const started = performance.now();
    let bytes = 0;
    const queue = [...corpus.messages];
    const made = new Set<string>();
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        const data = lfToCrlf(await readFile(m.path));
        const sha256 = createHash('sha256').update(data).digest('hex');
        const tmpPath = join(tmp, `${randomUUID()}.part`);
        const handle = await open(tmpPath, 'wx', 0o600);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        const target = join(root, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
        const dir = dirname(target);
        if (!made.has(dir)) {
          // The driver fsyncs every directory it creates; at most 65,536 of them, once each.
          await mkdir(dir, { recursive: true, mode: 0o700 });
          await fsyncDir(dirname(dir));
          made.add(dir);
        }
        await rename(tmpPath, target);
        await fsyncDir(dir);
        bytes += data.length;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = since(started);
    return {
      group: 'ceiling',
      corpus: corpus.kind,
      label: `durable write (tmp, fsync, rename, fsync dir), ${inFlight} in flight`,
      seconds,
      messages: corpus.messages.length,
      bytes,
      clientCpuSeconds: ownCpuSeconds() - clientBefore,
    };
  } finally {
    forget();
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * The Maildir file (LF line ends) as the server sends it (CRLF), with memchr-speed scans and block
 * copies: a string round trip costs several ms per MB, which would count as "write" time here.
 */
export function lfToCrlf(lf: Buffer): Buffer {
  let lines = 0;
  for (let at = lf.indexOf(10); at !== -1; at = lf.indexOf(10, at + 1)) lines++;
  const crlf = Buffer.allocUnsafe(lf.length + lines);
  let from = 0;
  let to = 0;
  for (let at = lf.indexOf(10); at !== -1; at = lf.indexOf(10, from)) {
    to += lf.copy(crlf, to, from, at);
    crlf[to++] = 13;
    crlf[to++] = 10;
    from = at + 1;
  }
  lf.copy(crlf, to, from);
  return crlf;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function measureCeilings(corpus: Corpus, log: (line: string) => void): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const variant of FETCH_VARIANTS) {
    const m = await fetchCeiling(corpus, variant);
    log(`  ${m.label}: ${m.seconds.toFixed(2)} s, ${megabytesPerSecond(m).toFixed(0)} MB/s`);
    results.push(m);
  }
  for (const inFlight of WRITE_IN_FLIGHT) {
    const m = await writeCeiling(corpus, inFlight);
    log(`  ${m.label}: ${m.seconds.toFixed(2)} s, ${megabytesPerSecond(m).toFixed(0)} MB/s`);
    results.push(m);
  }
  return results;
}

/**
 * SPEC §6's ceiling: the slower of the best TLS fetch with hashing and the best durable write
 * (each floor at its best configuration: an archiver may use as many connections or files in
 * flight as it likes).
 */
export function ceilingOf(measurements: readonly Measurement[], corpus: string): Measurement | undefined {
  const { fetch, write } = bestFloors(measurements, corpus);
  if (!fetch || !write) return fetch ?? write;
  return fetch.seconds >= write.seconds ? fetch : write;
}

/** The fastest TLS fetch with hashing and the fastest durable write of a corpus: the two floors. */
export function bestFloors(
  measurements: readonly Measurement[],
  corpus: string,
): { fetch?: Measurement; write?: Measurement } {
  const fastest = (prefix: string) =>
    measurements
      .filter((m) => m.group === 'ceiling' && m.corpus === corpus && m.label.startsWith(prefix))
      .sort((a, b) => a.seconds - b.seconds)[0];
  const fetch = fastest('raw fetch, TLS, SHA-256');
  const write = fastest('durable write');
  return { ...(fetch && { fetch }), ...(write && { write }) };
}

if (import.meta.main) {
  const kind = process.argv.slice(2).find((a) => a === 'size-mix' || a === 'count-heavy') ?? 'size-mix';
  const corpus = await createCorpus({ kind, scale: scaleFromArgs() });
  try {
    const results = await measureCeilings(corpus, (line) => console.error(line));
    const ceiling = ceilingOf(results, kind);
    console.log(
      JSON.stringify(
        {
          corpus: describeCorpus(corpus),
          ceiling: ceiling?.label,
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
