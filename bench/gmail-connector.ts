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
import { randomBytes, randomUUID } from 'node:crypto';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';

import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  type MailboxPayload,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import { parseServiceAccountKey, requestDelegatedToken } from '@mailkeep/google-workspace';
import {
  buildMailCorpus,
  type FakeGoogleUser,
  type GeneratedServiceAccountKey,
  startGoogleFake,
  testCertificateAuthority,
  waitFor,
} from '@mailkeep/testing';

import { scaleFromArgs } from '#lib/args';
import { runJsonChild } from '#lib/json-child';
import { type Measurement, round } from '#lib/measure';
import { memory, resetPeak, treeCpuSeconds } from '#lib/proc';
import { startBenchPlatform } from '#lib/services';
import { serveTaskTargets } from '#lib/task-targets';

/** Mailboxes archived at once, as four tasks of one worker (its default concurrency). */
const MAILBOXES = 4;
/** Messages per mailbox at scale 1: 4,000 in all. */
const MESSAGES_PER_MAILBOX = 1_000;
/** About the largest message Gmail holds. */
const LARGE_MESSAGE_BYTES = 50 * 1000 * 1000;
/** Ten minutes bound a hang of the whole archive. */
const RUN_TIMEOUT_MS = 10 * 60 * 1000;
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
    const tenantId = randomUUID();
    const served = serveTaskTargets(bus);
    const worker = platform.workers[0];
    if (!worker?.child.pid) throw new Error('no worker');
    const pid = worker.child.pid;
    const archive = async (
      batch: readonly FakeGoogleUser[],
    ): Promise<{ seconds: number; cpu: number; events: TaskFinishedEvent[] }> => {
      const taskIds: string[] = [];
      const cpuBefore = treeCpuSeconds([pid]);
      const started = performance.now();
      for (const user of batch) {
        const now = new Date().toISOString();
        const secretId = randomUUID();
        const mailbox: MailboxPayload = {
          id: randomUUID(),
          primaryAddress: user.primaryEmail,
          secondaryAddresses: [],
          displayName: '',
          directoryServiceId: null,
          enabled: true,
          origin: 'manual',
        };
        const profile: ArchivingProfile = {
          id: randomUUID(),
          name: `bench ${user.primaryEmail}`,
          type: 'google-workspace',
          mode: 'single',
          credentialsSecretId: secretId,
          mailboxId: mailbox.id,
          deleteInSource: false,
          version: 1,
          createdAt: now,
          updatedAt: now,
        };
        served.add({
          profile,
          mailbox,
          secret: { id: secretId, type: 'google-service-account', serviceAccountKey: key.json },
        });
        const taskId = randomUUID();
        taskIds.push(taskId);
        await bus.publish(
          CONNECTOR_ARCHIVE_MAILBOX_V1['google-workspace'],
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
      }
      await waitFor(() => taskIds.every((id) => served.finished.has(id)), {
        timeoutMs: RUN_TIMEOUT_MS,
        intervalMs: 100,
        description: 'the Gmail tasks to finish',
      });
      const events = taskIds.map((id) => served.finished.get(id) as TaskFinishedEvent);
      const failed = events.filter((e) => e.status !== 'succeeded');
      if (failed.length > 0)
        throw new Error(
          `Gmail tasks failed: ${JSON.stringify(failed.map((e) => e.error))}\n${worker.output()}`,
        );
      return {
        seconds: (performance.now() - started) / 1000,
        cpu: treeCpuSeconds([pid]) - cpuBefore,
        events,
      };
    };
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
    const header = `From: big@bench.example\r\nTo: large@bench.example\r\nSubject: 50 MB\r\nMessage-ID: <${randomUUID()}@bench>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
    const line = `${randomBytes(57).toString('base64')}\r\n`;
    large.mailbox!.addMessage(
      Buffer.concat([
        Buffer.from(header),
        Buffer.from(line.repeat(Math.ceil(LARGE_MESSAGE_BYTES / line.length))),
      ]),
      ['INBOX'],
    );
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
