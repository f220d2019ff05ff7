/**
 * The Microsoft 365 connector against the HTTPS Graph fake (issue 19, milestone 4):
 *
 * 1. The fake's own ceiling: a raw client (bench/lib/graph-raw-client.ts, its own process)
 *    fetching every message's `$value` with 4 requests in flight per mailbox and hashing it.
 * 2. The built connector-m365 worker alone (as the launcher starts it), this process serving its
 *    profile, mailbox and secret lookups: one task per mailbox, the same messages, archived to the
 *    filesystem blob store with their events. Messages/s and worker CPU per message, next to 1.
 * 3. Worker memory: its peak RSS (VmHWM, reset before) while archiving one 150 MB message.
 *
 * The fake runs in this process, so its CPU is in neither figure. Alone:
 * `npx node bench/graph-connector.ts [--scale 0.1]` (build first). Prints JSON.
 */
import { randomBytes } from 'node:crypto';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';

import {
  buildMailCorpus,
  type FakeUser,
  GRAPH_DEFAULT_SCOPE,
  startGraphFake,
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
/** Messages per mailbox at scale 1: 4,000 in all, a minute or two of work on the bench machine. */
const MESSAGES_PER_MAILBOX = 1_000;
/** The SPEC's largest message. */
const LARGE_MESSAGE_BYTES = 150 * 1000 * 1000;
const RAW_CLIENT = fileURLToPath(new URL('./lib/graph-raw-client.ts', import.meta.url));

export interface GraphBenchResult {
  readonly measurements: Measurement[];
  readonly largeMessage: {
    readonly sizeMB: number;
    readonly rssBeforeMiB: number;
    readonly peakMiB: number;
    readonly seconds: number;
  };
}

const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);

export async function measureGraphConnector(
  scale: number,
  log: (line: string) => void,
): Promise<GraphBenchResult> {
  const authority = testCertificateAuthority();
  // This process's own fetch must trust the fake as the children do through NODE_EXTRA_CA_CERTS.
  setDefaultCACertificates([...getCACertificates('default'), authority.caCertificatePem]);
  const fake = await startGraphFake({ faults: { mailboxConcurrencyLimit: 4 } });
  const tenant = fake.addTenant('bench.example');
  const secret = `Qx8Q~${randomBytes(24).toString('base64url')}`;
  const app = tenant.addApplication({ secrets: [secret] });
  const perMailbox = Math.max(11, Math.round(MESSAGES_PER_MAILBOX * scale));
  const users: FakeUser[] = [];
  for (let m = 0; m < MAILBOXES; m++) {
    const user = tenant.addUser(`bench${m}`);
    for (let copy = 0; user.mailbox!.messages.size < perMailbox; copy++) {
      for (const message of buildMailCorpus({
        largeAttachmentBytes: 0,
        seed: copy + 1,
        domain: `c${copy}.bench${m}.test`,
      })) {
        if (user.mailbox!.messages.size < perMailbox)
          user.mailbox!.addMessage(copy % 2 === 0 ? 'inbox' : 'archive', message.raw);
      }
    }
    users.push(user);
  }
  const total = users.reduce((sum, u) => sum + u.mailbox!.messages.size, 0);
  const totalBytes = users.reduce(
    (sum, u) => sum + [...u.mailbox!.messages.values()].reduce((s, m) => s + m.raw.length, 0),
    0,
  );
  log(`graph: ${total} messages, ${round(totalBytes / 1e6, 1)} MB in ${MAILBOXES} mailboxes`);
  const childEnv = { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath };

  // 1. The ceiling.
  const token = (
    (await (
      await fetch(`${fake.origin}/${tenant.id}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: app.clientId,
          client_secret: secret,
          scope: GRAPH_DEFAULT_SCOPE,
        }),
      })
    ).json()) as { access_token: string }
  ).access_token;
  const job = {
    origin: fake.origin,
    token,
    mailboxes: users.map((u) => ({
      user: u.userPrincipalName,
      ids: [...u.mailbox!.messages.values()].map((m) => m.immutableId),
    })),
  };
  const raw = await runJsonChild<{ messages: number; bytes: number; seconds: number; cpuSeconds: number }>(
    RAW_CLIENT,
    job,
    childEnv,
  );
  const measurements: Measurement[] = [
    {
      group: 'ceiling',
      corpus: 'graph',
      label: 'raw $value fetch, HTTPS, SHA-256, 4 per mailbox',
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
    connector: 'connector-m365',
    env: {
      MAILKEEP_M365_AUTHORITY_URL: fake.origin,
      MAILKEEP_M365_GRAPH_URL: fake.origin,
      NODE_EXTRA_CA_CERTS: authority.caPath,
    },
  });
  try {
    const { bus } = platform;
    const served = serveTaskTargets(bus);
    const worker = platform.workers[0];
    const pid = worker?.child.pid;
    if (!worker || !pid) throw new Error('no worker');
    const archive = (batch: readonly FakeUser[]) =>
      runMailboxTasks(
        bus,
        served,
        worker,
        batch.map((user) => ({
          address: user.userPrincipalName,
          settings: { type: 'm365', applicationId: app.clientId, directoryId: tenant.id },
          secret: { type: 'client-secret', clientSecret: secret },
        })),
      );
    // A warm-up task (JIT, token, TLS session) on a small extra mailbox, not measured.
    const warm = tenant.addUser('warmup');
    for (const message of buildMailCorpus({ largeAttachmentBytes: 0, domain: 'warm.test' }))
      warm.mailbox!.addMessage('inbox', message.raw);
    await archive([warm]);
    const run = await archive(users);
    const archived = run.events.reduce((sum, e) => sum + e.counters.messagesArchived, 0);
    if (archived !== total) throw new Error(`archived ${archived} of ${total} messages`);
    measurements.push({
      group: 'mailkeep',
      corpus: 'graph',
      label: `connector-m365, 1 worker, ${MAILBOXES} mailboxes`,
      seconds: round(run.seconds, 3),
      messages: archived,
      bytes: run.events.reduce((sum, e) => sum + e.counters.bytesArchived, 0),
      clientCpuSeconds: round(run.cpu, 3),
      note: 'worker process CPU only; the fake runs in the bench process',
    });

    // 3. One 150 MB message.
    const large = tenant.addUser('large');
    large.mailbox!.addMessage('inbox', largeMessage(LARGE_MESSAGE_BYTES, '150 MB'));
    const before = memory(pid);
    resetPeak(pid);
    const big = await archive([large]);
    const after = memory(pid);
    served.stop();
    return {
      measurements,
      largeMessage: {
        sizeMB: 150,
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
  const result = await measureGraphConnector(scaleFromArgs(), (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
