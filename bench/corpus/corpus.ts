/**
 * The benchmark corpus (issue 9, deliverable 1): deterministic, seeded RFC 5322 messages written
 * straight into a throw-away Dovecot's Maildirs (doveadm per message would take hours for 20,000),
 * then indexed by Dovecot and fetched once by the raw client, which gives the reference digest:
 * SHA-256 of every message exactly as the server sends it. Dovecot's view is checked against what
 * was written (EXISTS per folder, RFC822.SIZE and hash of every message).
 *
 * Two mixes:
 * - `size-mix`: 20,000 messages, 70% 2–30 KB, 25% 50–500 KB, 5% 1–10 MB (log-uniform within each
 *   class: ≈5.0–5.2 GB), the large ones multipart with base64 attachments;
 * - `count-heavy`: 100,000 messages of 1–8 KB, plain text or multipart/alternative.
 *
 * Both are spread over several Dovecot users (one Mailkeep mailbox each: a mailbox is archived by
 * one task, so more workers need more mailboxes to have work) with four folders each.
 *
 * Alone: `npx node bench/corpus/corpus.ts [size-mix|count-heavy] [--scale 0.01]` generates,
 * indexes and verifies a corpus and prints its description, then removes it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { type RunningDovecot, startDovecot } from '@mailkeep/testing';

import { scaleFromArgs } from '#lib/args';
import { onSignalCleanup } from '#lib/cleanup';
import { fetchMailboxes, type MailboxTarget } from '#lib/raw-imap';

export type CorpusKind = 'size-mix' | 'count-heavy';

/** The issue's sizes at scale 1. */
export const FULL_SIZE: Record<CorpusKind, number> = { 'size-mix': 20_000, 'count-heavy': 100_000 };
/** The same seed every time: the corpus, and therefore every figure, is comparable between runs. */
export const DEFAULT_SEED = 0x6d61696c; // "mail"
/**
 * Four mailboxes: with one task per mailbox, four workers each get one; fewer workers take
 * several at once (a worker runs up to MAILKEEP_CONNECTOR_CONCURRENCY = 4 tasks).
 */
export const DEFAULT_USERS = 4;
/**
 * Folders and their share of each mailbox's messages (INBOX held ~40% in the issue's measurement:
 * 7,944 of 20,000). Sent and Archive are Dovecot special-use folders, Projects a plain one; none is
 * excluded by the connector's default folder selection (Trash, Junk, Drafts are).
 */
export const FOLDERS: readonly { readonly name: string; readonly share: number }[] = [
  { name: 'INBOX', share: 0.4 },
  { name: 'Sent', share: 0.25 },
  { name: 'Archive', share: 0.25 },
  { name: 'Projects', share: 0.1 },
];
const KB = 1000;
const MB = 1000 * 1000;
/** The issue's size classes (probability, min, max bytes). */
const SIZE_MIX_CLASSES = [
  { share: 0.7, min: 2 * KB, max: 30 * KB },
  { share: 0.25, min: 50 * KB, max: 500 * KB },
  { share: 0.05, min: 1 * MB, max: 10 * MB },
] as const;
const COUNT_HEAVY_CLASS = { share: 1, min: 1 * KB, max: 8 * KB } as const;
/** Above this a message carries a base64 attachment (what makes mail large in practice). */
const ATTACHMENT_FROM_BYTES = 40 * KB;
/** Files written at once while generating: enough to keep the disk queue full, few buffers held. */
const WRITE_PARALLELISM = 8;
/** Base of the Maildir file names' timestamps (2023-11-14): fixed, so names are deterministic. */
const EPOCH_SECONDS = 1_700_000_000;

export interface CorpusMessage {
  readonly user: string;
  readonly folder: string;
  /** Bytes as the server sends them (CRLF line ends). */
  readonly size: number;
  /** SHA-256 of those bytes. */
  readonly sha256: string;
  /** The Maildir file (LF line ends, as Dovecot stores it). */
  readonly path: string;
}

export interface Corpus {
  readonly kind: CorpusKind;
  readonly seed: number;
  readonly scale: number;
  readonly dovecot: RunningDovecot;
  readonly users: readonly string[];
  readonly mailboxes: readonly MailboxTarget[];
  readonly messages: readonly CorpusMessage[];
  readonly totalBytes: number;
  /** Messages per size class, for the report. */
  readonly classes: readonly { label: string; count: number; bytes: number }[];
  /** `${user}\u0000${folder}\u0000${uid}` → sha256, from the raw client's pass over the server. */
  readonly reference: ReadonlyMap<string, string>;
  readonly generateSeconds: number;
  readonly indexSeconds: number;
  stop(): Promise<void>;
}

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; the same seed gives the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is that for it as with was on be by at this have from or an are not but ' +
  'invoice meeting project quarter report budget delivery schedule contract review customer ' +
  'please attached regards thanks tomorrow monday friday update draft final approval team ' +
  'Zahlung Rechnung Besprechung Angebot Lieferung Termin Grüße bitte danke Projekt Bericht'
).split(' ');
const NAMES = [
  'Anna Schmidt',
  'Ben Walker',
  'Chiara Rossi',
  'Dmitri Ivanov',
  'Emma Dubois',
  'Farid Haddad',
  'Grace Lee',
  'Hugo Martin',
  'Ines García',
  'Jonas Berg',
];

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function address(name: string): string {
  return `${name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .replace(' ', '.')}@example.com`;
}

/** Plain text of about `bytes` bytes, in lines of at most 76 characters. */
function text(rng: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    let line = '';
    while (line.length < 60) line += `${pick(rng, WORDS)} `;
    if (rng() < 0.02) line = `.${line}`; // a leading dot now and then, as real mail has
    lines.push(line.trimEnd());
    size += line.length + 1;
  }
  return lines.join('\n');
}

/** Base64 of `bytes` pseudo-random bytes in 76-character lines (incompressible, like JPEG/PDF). */
function base64Lines(rng: () => number, bytes: number): string {
  const words = new Uint32Array(Math.ceil(bytes / 4));
  let state = Math.floor(rng() * 0xffffffff) | 1;
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state >>> 0;
  }
  const encoded = Buffer.from(words.buffer, 0, bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\n');
}

/** One RFC 5322 message of about `target` bytes, LF line ends (as Dovecot stores mail). */
export function buildMessage(rng: () => number, index: number, target: number, seed: number): string {
  const from = pick(rng, NAMES);
  let to = pick(rng, NAMES);
  if (to === from) to = pick(rng, NAMES);
  const date = new Date(Date.UTC(2023, 0, 1) + index * 37_000 + Math.floor(rng() * 30_000));
  const id = `${seed.toString(16)}.${index}`;
  const subject = `${pick(rng, ['Re: ', 'Fwd: ', '', ''])}${pick(rng, WORDS)} ${pick(rng, WORDS)} ${index}`;
  const header = [
    `Return-Path: <${address(from)}>`,
    `Received: from mx${index % 7}.example.com (mx${index % 7}.example.com [192.0.2.${index % 250}])`,
    `\tby mail.example.net with ESMTPS id ${id}; ${date.toUTCString()}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `From: ${from} <${address(from)}>`,
    `To: ${to} <${address(to)}>`,
    ...(rng() < 0.3 ? [`Cc: ${pick(rng, NAMES)} <${address(pick(rng, NAMES))}>`] : []),
    `Subject: ${subject}`,
    `Message-ID: <${id}@bench.mailkeep.example>`,
    'MIME-Version: 1.0',
  ];
  const boundary = `=_bench_${id}`;
  if (target >= ATTACHMENT_FROM_BYTES) {
    const intro = text(rng, Math.min(4 * KB, target / 10));
    // base64 grows 4/3 plus a newline per 76 characters: the raw size that lands near the target.
    const raw = Math.max(1, Math.floor(((target - header.join('\n').length - intro.length - 600) * 57) / 78));
    const name = pick(rng, ['scan.pdf', 'photo.jpg', 'report.xlsx', 'slides.pptx', 'archive.zip']);
    return [
      ...header,
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      'This is a multi-part message in MIME format.',
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      intro,
      '',
      `--${boundary}`,
      `Content-Type: application/octet-stream; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(rng, raw),
      `--${boundary}--`,
      '',
    ].join('\n');
  }
  const room = Math.max(200, target - header.join('\n').length - 300);
  if (rng() < 0.4) {
    const plain = text(rng, room / 2);
    return [
      ...header,
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      plain,
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `<html><body><p>${text(rng, room / 2 - 40)
        .split('\n')
        .join('</p>\n<p>')}</p></body></html>`,
      `--${boundary}--`,
      '',
    ].join('\n');
  }
  return [
    ...header,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    text(rng, room),
    '',
  ].join('\n');
}

/**
 * Maildir file name: a unique base, S= (file size) and W= (size with CRLF) so Dovecot need not open
 * the file to know them, and the `:2,` info (\\Seen on most messages).
 */
function maildirName(index: number, seed: number, size: number, virtualSize: number, flags: string): string {
  return `${EPOCH_SECONDS + index}.M${index}P${seed}.bench,S=${size},W=${virtualSize}:2,${flags}`;
}

function classesOf(kind: CorpusKind) {
  return kind === 'size-mix' ? SIZE_MIX_CLASSES : [COUNT_HEAVY_CLASS];
}

function label(c: { min: number; max: number }): string {
  const f = (n: number) => (n >= MB ? `${n / MB} MB` : `${n / KB} KB`);
  return `${f(c.min)}–${f(c.max)}`;
}

export interface CorpusOptions {
  readonly kind: CorpusKind;
  /** Fraction of the full size (1 = the issue's 20,000 / 100,000 messages). */
  readonly scale: number;
  readonly seed?: number;
  readonly users?: number;
}

/**
 * Starts a Dovecot of its own (users bench-01@example.com …, each also reachable through the
 * master user), writes the corpus into its Maildirs, lets Dovecot index it and takes the
 * reference digest. `stop()` stops Dovecot and removes everything.
 */
export async function createCorpus(options: CorpusOptions): Promise<Corpus> {
  const seed = options.seed ?? DEFAULT_SEED;
  const count = Math.max(FOLDERS.length, Math.round(FULL_SIZE[options.kind] * options.scale));
  const userCount = options.users ?? DEFAULT_USERS;
  const users = Array.from(
    { length: userCount },
    (_, i) => `bench-${String(i + 1).padStart(2, '0')}@example.com`,
  );
  const dovecot = await startDovecot({
    users: users.map((name) => ({ name, password: 'bench-pass' })),
    specialUseFolders: true,
  });
  const forget = onSignalCleanup(() => dovecot.stop());
  try {
    const generateStarted = performance.now();
    const rng = prng(seed);
    const classes = classesOf(options.kind);
    const classStats = classes.map((c) => ({ label: label(c), count: 0, bytes: 0 }));
    const messages: CorpusMessage[] = [];
    const mailRoot = join(dovecot.runDir, 'mail');
    const inFlight = new Set<Promise<void>>();
    // Every folder of every mailbox exists, also when a small scale leaves one empty.
    for (const user of users) {
      for (const folder of FOLDERS) {
        const dir = join(mailRoot, user, 'Maildir', ...(folder.name === 'INBOX' ? [] : [folder.name]));
        for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, sub), { recursive: true });
      }
    }
    for (let index = 0; index < count; index++) {
      const user = users[index % userCount] as string;
      let roll = rng();
      const folder = FOLDERS.find((f) => (roll -= f.share) < 0)?.name ?? 'INBOX';
      let classRoll = rng();
      const classIndex = Math.max(
        0,
        classes.findIndex((c) => (classRoll -= c.share) < 0),
      );
      const sizeClass = classes[classIndex] ?? COUNT_HEAVY_CLASS;
      // Log-uniform within the class: many near the bottom, few near the top, as real mail is.
      const target = Math.round(sizeClass.min * (sizeClass.max / sizeClass.min) ** rng());
      const dir = join(mailRoot, user, 'Maildir', ...(folder === 'INBOX' ? [] : [folder]));
      const lf = Buffer.from(buildMessage(rng, index, target, seed), 'utf8');
      const crlf = Buffer.from(lf.toString('utf8').replace(/\n/g, '\r\n'), 'utf8');
      const sha256 = createHash('sha256').update(crlf).digest('hex');
      const path = join(dir, 'cur', maildirName(index, seed, lf.length, crlf.length, rng() < 0.7 ? 'S' : ''));
      messages.push({ user, folder, size: crlf.length, sha256, path });
      const stats = classStats[classIndex];
      if (stats) {
        stats.count += 1;
        stats.bytes += crlf.length;
      }
      const write: Promise<void> = writeFile(path, lf).then(() => {
        inFlight.delete(write);
      });
      inFlight.add(write);
      if (inFlight.size >= WRITE_PARALLELISM) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (process.getuid?.() === 0) {
      // The harness runs mail access as `dovecot` when started as root.
      await promisify(execFile)('chown', ['-R', 'dovecot:dovecot', mailRoot]);
    }
    const generateSeconds = (performance.now() - generateStarted) / 1000;

    const mailboxes = users.map((user) => ({ user, folders: FOLDERS.map((f) => f.name) }));
    const indexStarted = performance.now();
    const reference = new Map<string, string>();
    const seen: { user: string; folder: string; size: number; rfc822Size: number; sha256: string }[] = [];
    await fetchMailboxes({
      server: { host: dovecot.host, port: dovecot.ports.imap, tls: false },
      masterUser: dovecot.masterUser,
      mailboxes,
      connections: 1,
      hash: true,
      items: '(UID RFC822.SIZE BODY.PEEK[])',
      onMessage: (user, m) => {
        reference.set(`${user}\u0000${m.folder}\u0000${m.uid}`, m.sha256);
        seen.push({ user, folder: m.folder, size: m.size, rfc822Size: m.rfc822Size ?? -1, sha256: m.sha256 });
      },
    });
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    verifyServerView(messages, seen);
    return {
      kind: options.kind,
      seed,
      scale: options.scale,
      dovecot,
      users,
      mailboxes,
      messages,
      totalBytes: messages.reduce((sum, m) => sum + m.size, 0),
      classes: classStats,
      reference,
      generateSeconds,
      indexSeconds,
      stop: async () => {
        forget();
        await dovecot.stop();
      },
    };
  } catch (error) {
    forget();
    await dovecot.stop();
    throw error;
  }
}

/** What Dovecot serves must be exactly what was written: same messages per folder, sizes, hashes. */
function verifyServerView(
  written: readonly CorpusMessage[],
  served: readonly { user: string; folder: string; size: number; rfc822Size: number; sha256: string }[],
): void {
  if (served.length !== written.length) {
    throw new Error(`Dovecot serves ${served.length} messages, ${written.length} were written`);
  }
  const key = (m: { user: string; folder: string; sha256: string; size: number }) =>
    `${m.user}/${m.folder}/${m.sha256}/${m.size}`;
  const expected = new Map<string, number>();
  for (const m of written) expected.set(key(m), (expected.get(key(m)) ?? 0) + 1);
  for (const m of served) {
    if (m.rfc822Size !== m.size) {
      throw new Error(`RFC822.SIZE ${m.rfc822Size} but ${m.size} bytes sent in ${m.user}/${m.folder}`);
    }
    const left = expected.get(key(m)) ?? 0;
    if (left === 0) throw new Error(`Dovecot serves a message that was not written (${key(m)})`);
    expected.set(key(m), left - 1);
  }
}

/** Human description of a corpus, for the report. */
export function describeCorpus(corpus: Corpus): string {
  const size =
    corpus.totalBytes >= 1e9
      ? `${(corpus.totalBytes / 1e9).toFixed(2)} GB`
      : `${(corpus.totalBytes / 1e6).toFixed(1)} MB`;
  const classes = corpus.classes
    .map((c) => `${c.count} × ${c.label} (${(c.bytes / 1e6).toFixed(0)} MB)`)
    .join(', ');
  return (
    `${corpus.kind}: ${corpus.messages.length} messages, ${size} as served (CRLF), seed 0x${corpus.seed.toString(16)}, ` +
    `scale ${corpus.scale}; ${corpus.users.length} mailboxes × ${FOLDERS.length} folders ` +
    `(${FOLDERS.map((f) => `${f.name} ${f.share * 100}%`).join(', ')}); ${classes}`
  );
}

if (import.meta.main) {
  const kind = (process.argv.slice(2).find((a) => !a.startsWith('-') && !/^[\d.]+$/.test(a)) ??
    'size-mix') as CorpusKind;
  const corpus = await createCorpus({ kind, scale: scaleFromArgs() });
  try {
    console.log(
      JSON.stringify(
        {
          corpus: describeCorpus(corpus),
          generateSeconds: Number(corpus.generateSeconds.toFixed(2)),
          indexAndDigestSeconds: Number(corpus.indexSeconds.toFixed(2)),
          referenceDigests: corpus.reference.size,
        },
        null,
        2,
      ),
    );
  } finally {
    await corpus.stop();
  }
}
