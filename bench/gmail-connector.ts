/**
 * The Google Workspace connector against the HTTPS Gmail fake (issue 20, deliverable 6):
 *
 * 1. The fake's own ceiling: a raw client (bench/lib/gmail-raw-client.ts, its own process)
 *    fetching every message with `messages.get?format=raw` the plain way (JSON parsed, `raw`
 *    decoded) with the connector's per-mailbox pacing, hashing it.
 * 2. The built connector-google worker alone (as the launcher starts it), this process serving its
 *    profile, mailbox and secret lookups: one task per mailbox, the same messages, archived to the
 *    filesystem blob store with their events. Messages/s and worker CPU per message, next to 1.
 * 3. Worker memory: its peak RSS (VmHWM, reset before) while archiving one 50 MB message (Gmail's
 *    limit is about 50 MB; its JSON is 67 MB).
 *
 * The fake runs in this process, so its CPU is in neither figure. Alone:
 * `npx node bench/gmail-connector.ts [--scale 0.1]` (build first). Prints JSON.
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';

import { parseServiceAccountKey, requestDelegatedToken } from '@mailkeep/google-workspace';
import {
  buildMailCorpus,
  type FakeGoogleUser,
  type GeneratedServiceAccountKey,
  startGoogleFake,
  testCertificateAuthority,
} from '@mailkeep/testing';

import { scaleFromArgs } from '#lib/args';
import { largeMessage, runJsonChild } from '#lib/json-child';
import { type Measurement, round } from '#lib/measure';
import { memory, resetPeak } from '#lib/proc';
import { runMailboxTasks } from '#lib/connector-tasks';
import { startBenchPlatform } from '#lib/services';
import { serveTaskTargets } from '#lib/task-targets';

/** Mailboxes archived at once, as four tasks of one worker (its default concurrency). */
const MAILBOXES = 4;
/** Messages per mailbox at scale 1: 4,000 in all. */
const MESSAGES_PER_MAILBOX = 1_000;
/** About the largest message Gmail holds. */
const LARGE_MESSAGE_BYTES = 50 * 1000 * 1000;
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const RAW_CLIENT = fileURLToPath(new URL('./lib/gmail-raw-client.ts', import.meta.url));

export interface GmailBenchResult {
  readonly measurements: Measurement[];
  readonly largeMessage: {
    readonly sizeMB: number;
    readonly rssBeforeMiB: number;
    readonly peakMiB: number;
    readonly seconds: number;
  };
}

const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);

async function delegatedToken(
  tokenUrl: string,
  key: GeneratedServiceAccountKey,
  subject: string,
): Promise<string> {
  // The connector library's own exchange, so the ceiling's tokens are real ones of the fake.
  const token = await requestDelegatedToken(
    { tokenUrl },
    { key: parseServiceAccountKey(key.json), subject, scopes: [READONLY] },
  );
  return token.token;
}

export async function measureGmailConnector(
  scale: number,
  log: (line: string) => void,
): Promise<GmailBenchResult> {
  const authority = testCertificateAuthority();
  // This process's own fetch must trust the fake as the children do through NODE_EXTRA_CA_CERTS.
  setDefaultCACertificates([...getCACertificates('default'), authority.caCertificatePem]);
  const fake = await startGoogleFake();
  const domain = fake.addDomain('bench.example');
  const { key } = fake.addServiceAccount(domain, { delegatedScopes: [READONLY] });
  const perMailbox = Math.max(11, Math.round(MESSAGES_PER_MAILBOX * scale));
  const users: FakeGoogleUser[] = [];
  for (let m = 0; m < MAILBOXES; m++) {
    const user = domain.addUser(`bench${m}`);
    for (let copy = 0; user.mailbox!.messages.size < perMailbox; copy++) {
      for (const message of buildMailCorpus({
        largeAttachmentBytes: 0,
        seed: copy + 1,
        domain: `c${copy}.bench${m}.test`,
      })) {
        if (user.mailbox!.messages.size < perMailbox)
          user.mailbox!.addMessage(
            message.raw,
            copy % 2 === 0 ? ['INBOX', 'UNREAD'] : ['Projects', 'IMPORTANT'],
          );
      }
    }
    users.push(user);
  }
  const total = users.reduce((sum, u) => sum + u.mailbox!.messages.size, 0);
  const totalBytes = users.reduce(
    (sum, u) => sum + [...u.mailbox!.messages.values()].reduce((s, m) => s + m.raw.length, 0),
    0,
  );
  log(`gmail: ${total} messages, ${round(totalBytes / 1e6, 1)} MB in ${MAILBOXES} mailboxes`);
  const childEnv = { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath };

  // 1. The ceiling.
  const raw = await runJsonChild<{ messages: number; bytes: number; seconds: number; cpuSeconds: number }>(
    RAW_CLIENT,
    {
      origin: fake.origin,
      mailboxes: await Promise.all(
        users.map(async (u) => ({
          user: u.primaryEmail,
          token: await delegatedToken(fake.tokenUrl, key, u.primaryEmail),
          ids: [...u.mailbox!.messages.keys()],
        })),
      ),
    },
    childEnv,
  );
  const measurements: Measurement[] = [
    {
      group: 'ceiling',
      corpus: 'gmail',
      label: 'raw format=raw fetch, JSON parsed, SHA-256, 8 per mailbox, 20 ms apart',
      seconds: round(raw.seconds, 3),
      messages: raw.messages,
      bytes: raw.bytes,
      clientCpuSeconds: round(raw.cpuSeconds, 3),
    },
  ];

  // 2. The connector worker.
  const platform = await startBenchPlatform({
    workers: 1,
    services: [],
    connector: 'connector-google',
    env: {
      MAILKEEP_GOOGLE_TOKEN_URL: fake.tokenUrl,
      MAILKEEP_GOOGLE_GMAIL_URL: fake.origin,
      NODE_EXTRA_CA_CERTS: authority.caPath,
    },
  });
  try {
    const { bus } = platform;
    const served = serveTaskTargets(bus);
    const worker = platform.workers[0];
    const pid = worker?.child.pid;
    if (!worker || !pid) throw new Error('no worker');
    const archive = (batch: readonly FakeGoogleUser[]) =>
      runMailboxTasks(
        bus,
        served,
        worker,
        batch.map((user) => ({
          address: user.primaryEmail,
          settings: { type: 'google-workspace', sourceMailbox: user.primaryEmail },
          secret: { type: 'google-service-account', serviceAccountKey: key.json },
        })),
      );
    // A warm-up task (JIT, token, TLS session) on a small extra mailbox, not measured.
    const warm = domain.addUser('warmup');
    for (const message of buildMailCorpus({ largeAttachmentBytes: 0, domain: 'warm.test' }))
      warm.mailbox!.addMessage(message.raw, ['INBOX']);
    await archive([warm]);
    const run = await archive(users);
    const archived = run.events.reduce((sum, e) => sum + e.counters.messagesArchived, 0);
    if (archived !== total) throw new Error(`archived ${archived} of ${total} messages`);
    measurements.push({
      group: 'mailkeep',
      corpus: 'gmail',
      label: `connector-google, 1 worker, ${MAILBOXES} mailboxes`,
      seconds: round(run.seconds, 3),
      messages: archived,
      bytes: run.events.reduce((sum, e) => sum + e.counters.bytesArchived, 0),
      clientCpuSeconds: round(run.cpu, 3),
      note: 'worker process CPU only; the fake runs in the bench process',
    });

    // 3. One 50 MB message.
    const large = domain.addUser('large');
    large.mailbox!.addMessage(largeMessage(LARGE_MESSAGE_BYTES, '50 MB'), ['INBOX']);
    const before = memory(pid);
    resetPeak(pid);
    const big = await archive([large]);
    const after = memory(pid);
    served.stop();
    return {
      measurements,
      largeMessage: {
        sizeMB: LARGE_MESSAGE_BYTES / 1e6,
        rssBeforeMiB: mib(before?.rss ?? NaN),
        peakMiB: mib(after?.peak ?? NaN),
        seconds: round(big.seconds, 2),
      },
    };
  } finally {
    await platform.stop();
    await fake.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureGmailConnector(scaleFromArgs(), (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
