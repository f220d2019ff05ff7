/**
 * The Exchange Server (EWS) connector against the HTTPS EWS fake (issue 21), as
 * bench/graph-connector.ts does for Microsoft 365:
 *
 * 1. The fake's own ceiling: a raw client (bench/lib/ews-raw-client.ts, its own process) sending
 *    one GetItem (MimeContent) per message, 2 in flight per mailbox, decoding and hashing it.
 * 2. The built connector-exchange worker alone (as the launcher starts it), this process serving
 *    its profile, mailbox and secret lookups: one task per mailbox, the same messages, archived to
 *    the filesystem blob store with their events (NTLM, impersonation, SyncFolderItems, GetItem).
 *    Messages/s and worker CPU per message, next to 1.
 * 3. Worker memory: its peak RSS (VmHWM, reset before) while archiving one 50 MB message (EWS
 *    returns MIME base64 inside XML: the bound is per message, see the connector README).
 *
 * The fake runs in this process, so its CPU is in neither figure. Alone:
 * `npx node bench/ews-connector.ts [--scale 0.1]` (build first). Prints JSON.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { buildMailCorpus, type EwsMailbox, startEwsFake, testCertificateAuthority } from '@mailkeep/testing';

import { scaleFromArgs } from '#lib/args';
import { runRawClient } from '#lib/raw-client';
import { type Measurement, round } from '#lib/measure';
import { memory, resetPeak } from '#lib/proc';
import { startBenchPlatform } from '#lib/services';
import { runMailboxTasks } from '#lib/connector-tasks';
import { serveTaskTargets } from '#lib/task-targets';

/** Mailboxes archived at once, as four tasks of one worker (its default concurrency). */
const MAILBOXES = 4;
/** Messages per mailbox at scale 1: 4,000 in all. */
const MESSAGES_PER_MAILBOX = 1_000;
/** Under Exchange 2016+'s default EWS request limit (64 MB), base64 included. */
const LARGE_MESSAGE_BYTES = 45 * 1000 * 1000;
const RAW_CLIENT = fileURLToPath(new URL('./lib/ews-raw-client.ts', import.meta.url));

export interface EwsBenchResult {
  readonly measurements: Measurement[];
  readonly largeMessage: {
    readonly sizeMB: number;
    readonly rssBeforeMiB: number;
    readonly peakMiB: number;
    readonly seconds: number;
  };
}

const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);

export async function measureEwsConnector(
  scale: number,
  log: (line: string) => void,
): Promise<EwsBenchResult> {
  const authority = testCertificateAuthority();
  const fake = await startEwsFake();
  const password = `Ews!${randomBytes(12).toString('base64url')}`;
  fake.addServiceAccount({ userName: 'svc-bench', userPrincipalName: 'svc-bench@bench.example', password });
  const perMailbox = Math.max(11, Math.round(MESSAGES_PER_MAILBOX * scale));
  const mailboxes: EwsMailbox[] = [];
  for (let m = 0; m < MAILBOXES; m++) {
    const mailbox = fake.addMailbox(`bench${m}@bench.example`);
    const folders = [mailbox.distinguished('inbox'), mailbox.addFolder('Archive/2026')];
    for (let copy = 0; mailbox.items.size < perMailbox; copy++) {
      for (const message of buildMailCorpus({
        largeAttachmentBytes: 0,
        seed: copy + 1,
        domain: `c${copy}.bench${m}.test`,
      })) {
        if (mailbox.items.size < perMailbox) mailbox.addMessage(folders[copy % 2]!, message.raw);
      }
    }
    mailboxes.push(mailbox);
  }
  const total = mailboxes.reduce((sum, mb) => sum + mb.items.size, 0);
  const totalBytes = mailboxes.reduce(
    (sum, mb) => sum + [...mb.items.values()].reduce((s, i) => s + i.mime.length, 0),
    0,
  );
  log(`ews: ${total} messages, ${round(totalBytes / 1e6, 1)} MB in ${MAILBOXES} mailboxes`);
  const childEnv = { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath };

  // 1. The ceiling.
  const job = {
    url: fake.url,
    login: 'svc-bench@bench.example',
    password,
    mailboxes: mailboxes.map((mb) => ({ smtp: mb.smtpAddress, ids: [...mb.items.keys()] })),
  };
  const raw = await runRawClient(RAW_CLIENT, job, childEnv);
  const measurements: Measurement[] = [
    {
      group: 'ceiling',
      corpus: 'ews',
      label: 'raw GetItem MimeContent, HTTPS, base64 decode, SHA-256, 2 per mailbox',
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
    connector: 'connector-exchange',
    env: {
      MAILKEEP_EXCHANGE_URL_TEMPLATE: `https://{serverName}:${fake.port}/EWS/Exchange.asmx`,
      MAILKEEP_EGRESS_ALLOW: `127.0.0.1:${fake.port}`,
      NODE_EXTRA_CA_CERTS: authority.caPath,
    },
  });
  try {
    const served = serveTaskTargets(platform.bus);
    const worker = platform.workers[0];
    if (!worker?.child.pid) throw new Error('no worker');
    const pid = worker.child.pid;
    const archive = (batch: readonly EwsMailbox[]) =>
      runMailboxTasks(
        platform.bus,
        served,
        worker,
        batch.map((source) => ({
          address: source.smtpAddress,
          settings: { type: 'exchange', serverName: '127.0.0.1' },
          secret: { type: 'basic', username: `${fake.netbiosDomain}\\svc-bench`, password },
        })),
      );
    // A warm-up task (JIT, NTLM, TLS) on a small extra mailbox, not measured.
    const warm = fake.addMailbox('warmup@bench.example');
    for (const message of buildMailCorpus({ largeAttachmentBytes: 0, domain: 'warm.test' }))
      warm.addMessage(warm.distinguished('inbox'), message.raw);
    await archive([warm]);
    const run = await archive(mailboxes);
    const archived = run.events.reduce((sum, e) => sum + e.counters.messagesArchived, 0);
    if (archived !== total) throw new Error(`archived ${archived} of ${total} messages`);
    measurements.push({
      group: 'mailkeep',
      corpus: 'ews',
      label: `connector-exchange, 1 worker, ${MAILBOXES} mailboxes`,
      seconds: round(run.seconds, 3),
      messages: archived,
      bytes: run.events.reduce((sum, e) => sum + e.counters.bytesArchived, 0),
      clientCpuSeconds: round(run.cpu, 3),
      note: 'worker process CPU only; the fake runs in the bench process',
    });

    // 3. One large message.
    const large = fake.addMailbox('large@bench.example');
    const header = `From: big@bench.example\r\nTo: large@bench.example\r\nSubject: 45 MB\r\nMessage-ID: <${randomUUID()}@bench>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
    const line = `${randomBytes(57).toString('base64')}\r\n`;
    large.addMessage(
      large.distinguished('inbox'),
      Buffer.concat([
        Buffer.from(header),
        Buffer.from(line.repeat(Math.ceil(LARGE_MESSAGE_BYTES / line.length))),
      ]),
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
  const result = await measureEwsConnector(scaleFromArgs(), (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
