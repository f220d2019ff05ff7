/**
 * SPEC §6 Scale: "catalog ingestion keeps up with connectors (batched inserts)". Starts the built
 * catalog as its own process on a private NATS and a fresh database, then publishes N archived
 * events the way the connector pipeline does (`bus.publish` with a Nats-Msg-Id, awaiting the
 * stream's ack, one message in flight per mailbox) from LANES mailboxes at once: far more
 * mailboxes than one worker runs (4 by default, 64 at most), and with no fetching or storing
 * between events, so the producer rate is an upper bound of what connectors publish.
 *
 * Two measurements in the same run:
 * - live: the catalog consumes while the events are produced; its rate is N over the time from
 *   the first publish until the last row is committed, against the producer's N over its own time;
 * - backlog: N more events published while the catalog is stopped, then the time it takes a
 *   started catalog to drain them: its ceiling, independent of the producer.
 *
 * Not a test: run after a build with
 *
 *   flock /tmp/mailkeep-build.lock npm run build && npx node bench/catalog-ingest.ts [N] [LANES]
 *
 * It prints JSON: both rates of each measurement, the ratio catalog / producer, and the catalog
 * process's CPU time per event (user + system, from /proc): the per-message cost of its consumer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { MESSAGE_ARCHIVED_V1, type MessageArchivedEvent, SERVICE_PING_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { createTestDatabase, startNatsServer, waitFor } from '@mailkeep/testing';
import pg from 'pg';

import { pidsCpuSeconds } from '#lib/proc';

const EVENTS = Number(process.argv[2] ?? 50_000);
/** Mailboxes publishing at once, one event in flight each (see the header comment). */
const LANES = Number(process.argv[3] ?? 64);
/** How often the row count is polled: fine enough for runs of several seconds. */
const POLL_MS = 50;
const CATALOG_ENTRY = fileURLToPath(new URL('../apps/catalog/dist/main.js', import.meta.url));

const logger = createLogger({ service: 'bench', level: 'warn' });
const nats = await startNatsServer();
const database = await createTestDatabase('bench_catalog');
const dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-bench-catalog-'));
const bus = await MessageBus.connect({ servers: nats.url, name: 'bench', logger });
const db = new pg.Client({ connectionString: database.url });
const tenantId = randomUUID();
const mailboxes = Array.from({ length: LANES }, () => randomUUID());
const runId = randomUUID();
const taskId = randomUUID();

let catalog: ChildProcess | undefined;
try {
  catalog = await startCatalog();
  await db.connect();

  // Live: produce while the catalog consumes.
  const liveCpuBefore = catalogCpuSeconds();
  const liveStarted = performance.now();
  const producerMs = await produce(0);
  await waitFor(async () => (await rows()) >= EVENTS, {
    timeoutMs: 600_000,
    intervalMs: POLL_MS,
    description: `${EVENTS} rows`,
  });
  const liveMs = performance.now() - liveStarted;
  const liveCpuSeconds = catalogCpuSeconds() - liveCpuBefore;

  // Backlog: produce with the catalog stopped, then let a fresh catalog drain it.
  await stopCatalog();
  const backlogProducerMs = await produce(EVENTS);
  catalog = await startCatalog();
  const drainCpuBefore = catalogCpuSeconds();
  const drainStarted = performance.now();
  const atReady = await rows();
  await waitFor(async () => (await rows()) >= 2 * EVENTS, {
    timeoutMs: 600_000,
    intervalMs: POLL_MS,
    description: `${2 * EVENTS} rows`,
  });
  const drainMs = performance.now() - drainStarted;
  const drainCpuSeconds = catalogCpuSeconds() - drainCpuBefore;
  const drained = 2 * EVENTS - atReady;

  const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));
  process.stdout.write(
    `${JSON.stringify(
      {
        events: EVENTS,
        lanes: LANES,
        live: {
          producerEventsPerSecond: perSecond(EVENTS, producerMs),
          catalogEventsPerSecond: perSecond(EVENTS, liveMs),
          ratioCatalogToProducer: Number((producerMs / liveMs).toFixed(2)),
          producerMs: Math.round(producerMs),
          lastRowAfterLastPublishMs: Math.round(liveMs - producerMs),
          catalogCpuMicrosecondsPerEvent: Math.round((liveCpuSeconds / EVENTS) * 1e6),
        },
        backlog: {
          producerEventsPerSecond: perSecond(EVENTS, backlogProducerMs),
          catalogDrainEventsPerSecond: perSecond(drained, drainMs),
          ratioCatalogToProducer: Number(
            (perSecond(drained, drainMs) / perSecond(EVENTS, backlogProducerMs)).toFixed(2),
          ),
          drainedAfterReady: drained,
          catalogCpuMicrosecondsPerEvent: Math.round((drainCpuSeconds / drained) * 1e6),
        },
        rows: await rows(),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await stopCatalog();
  await db.end().catch(() => undefined);
  await bus.close();
  await nats.stop();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** Publishes EVENTS events, numbered from `first`, LANES mailboxes at once; resolves with the time taken. */
async function produce(first: number): Promise<number> {
  const started = performance.now();
  let next = first;
  const end = first + EVENTS;
  await Promise.all(
    mailboxes.map(async (mailboxId) => {
      while (next < end) {
        const n = next++;
        const event = eventOf(mailboxId, n);
        await bus.publish(MESSAGE_ARCHIVED_V1, event, {
          msgId: `archived-${createHash('sha256').update(`${tenantId}\0${mailboxId}\0${event.sourceIdentity}`).digest('hex')}`,
        });
      }
    }),
  );
  return performance.now() - started;
}

/** A typical message's event: encoded-word subject now and then, a few recipients, a Date. */
function eventOf(mailboxId: string, n: number): MessageArchivedEvent {
  return {
    tenantId,
    mailboxId,
    runId,
    taskId,
    sourceIdentity: `imap:INBOX:1700000000:${n}`,
    folder: n % 3 === 0 ? 'Archive/2024' : 'INBOX',
    sha256: createHash('sha256').update(String(n)).digest('hex'),
    size: 4_000 + (n % 50_000),
    created: true,
    messageId: `<${n}.${mailboxId}@mail.example.com>`,
    subject: n % 4 === 0 ? `=?utf-8?Q?R=C3=A9union_n=C2=B0${n}?=` : `Weekly report ${n}`,
    from: `"Sender ${n % 97}" <sender${n % 97}@example.com>`,
    to: `team-${n % 13}@example.com, "Jörg Müller" <jm@example.de>`,
    ...(n % 5 === 0 && { cc: 'archive@example.org' }),
    date: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toUTCString(),
    archivedAt: new Date().toISOString(),
  };
}

/** CPU seconds (user + system) the running catalog process has used so far. */
function catalogCpuSeconds(): number {
  return catalog?.pid === undefined ? 0 : pidsCpuSeconds([catalog.pid]);
}

async function rows(): Promise<number> {
  const result = await db.query<{ count: string }>(`SELECT count(*) AS count FROM catalog.message`);
  return Number(result.rows[0]?.count ?? 0);
}

async function startCatalog(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CATALOG_ENTRY], {
    env: {
      ...process.env,
      MAILKEEP_NATS_URL: nats.url,
      MAILKEEP_DATABASE_URL: database.url,
      MAILKEEP_DATA_DIR: dataDir,
      // BENCH_LOG_LEVEL=debug shows each batch's size and insert time.
      MAILKEEP_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitFor(
    () =>
      bus.request(SERVICE_PING_V1, { service: 'catalog' }, { timeoutMs: 1_000 }).then(
        () => true,
        () => false,
      ),
    { timeoutMs: 60_000, description: 'catalog ready' },
  );
  return child;
}

async function stopCatalog(): Promise<void> {
  const child = catalog;
  catalog = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
