/**
 * SPEC §6 Scale: "the scheduler queues 100,000 mailbox tasks in under a minute". Starts the built
 * scheduler as its own process on a private NATS and a fresh database, plays the profiles and
 * directory services (one multi-mailbox profile over a directory of N mailboxes, resolved in
 * pages of 1,000), presses "run now" and measures until every task's command is on the work
 * queue. The baseline, measured in the same run on the same NATS: publishing N commands from this
 * process, pipelined a page at a time, with nothing else to do. Not a test: run after a build with
 *
 *   flock /tmp/mailkeep-build.lock npm run build && npx node bench/scheduler-dispatch.ts [N]
 *
 * It prints JSON: both durations, tasks per second, and the ratio dispatch / baseline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  CONNECTOR_COMMANDS_STREAM,
  MAILBOXES_RESOLVE_V1,
  PROFILE_GET_V1,
  RUN_GET_V1,
  SCHEDULE_CREATE_V1,
  SCHEDULE_RUN_NOW_V1,
  SERVICE_PING_V1,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { createTestDatabase, startNatsServer, waitFor } from '@mailkeep/testing';

const MAILBOXES = Number(process.argv[2] ?? 100_000);
/** The directory service's page size, the largest the resolve contract allows. */
const PAGE = 1_000;
const SCHEDULER_ENTRY = fileURLToPath(new URL('../apps/scheduler/dist/main.js', import.meta.url));

const logger = createLogger({ service: 'bench', level: 'warn' });
const nats = await startNatsServer();
const database = await createTestDatabase('bench_dispatch');
const bus = await MessageBus.connect({ servers: nats.url, name: 'bench', logger });
const tenantId = randomUUID();
const mailboxIds = Array.from({ length: MAILBOXES }, () => randomUUID());
const directoryServiceId = randomUUID();
const profile: ArchivingProfile = {
  id: randomUUID(),
  name: 'Bench',
  type: 'imap',
  mode: 'multiple',
  credentialsSecretId: randomUUID(),
  directoryServiceId,
  deleteInSource: false,
  serverName: 'mail.example.com',
  version: 1,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
};

bus.serve(PROFILE_GET_V1, () => Promise.resolve(profile), { queue: 'profiles' });
bus.serve(
  MAILBOXES_RESOLVE_V1,
  (request) => {
    const start = request.cursor === undefined ? 0 : Number(request.cursor);
    const end = Math.min(start + PAGE, MAILBOXES);
    return Promise.resolve({
      items: mailboxIds.slice(start, end).map((id) => ({
        id,
        primaryAddress: `${id}@example.com`,
        secondaryAddresses: [],
        displayName: '',
      })),
      nextCursor: end < MAILBOXES ? String(end) : null,
    });
  },
  { queue: 'directory' },
);

let scheduler: ChildProcess | undefined;
try {
  const baselineMs = await baseline();
  scheduler = spawn(process.execPath, [SCHEDULER_ENTRY], {
    env: {
      ...process.env,
      MAILKEEP_NATS_URL: nats.url,
      MAILKEEP_DATABASE_URL: database.url,
      MAILKEEP_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitFor(
    () =>
      bus.request(SERVICE_PING_V1, { service: 'scheduler' }).then(
        () => true,
        () => false,
      ),
    {
      timeoutMs: 60_000,
      description: 'scheduler ready',
    },
  );
  const schedule = await bus.request(SCHEDULE_CREATE_V1, {
    tenantId,
    schedule: {
      name: 'Bench',
      target: { kind: 'archiving-profile', profileId: profile.id },
      timezone: 'UTC',
      recurrence: { type: 'daily', times: ['03:00'] },
    },
  });
  const commandsBefore = await commandsOnQueue();
  const started = performance.now();
  const run = await bus.request(SCHEDULE_RUN_NOW_V1, { tenantId, id: schedule.id });
  await waitFor(async () => (await commandsOnQueue()) - commandsBefore >= MAILBOXES, {
    timeoutMs: 600_000,
    intervalMs: 100,
    description: `${MAILBOXES} commands queued`,
  });
  const dispatchMs = performance.now() - started;
  const shown = await bus.request(RUN_GET_V1, { tenantId, id: run.id });
  process.stdout.write(
    `${JSON.stringify(
      {
        mailboxes: MAILBOXES,
        runMailboxesTotal: shown.counters.mailboxesTotal,
        dispatchMs: Math.round(dispatchMs),
        dispatchTasksPerSecond: Math.round(MAILBOXES / (dispatchMs / 1000)),
        baselineMs: Math.round(baselineMs),
        baselineCommandsPerSecond: Math.round(MAILBOXES / (baselineMs / 1000)),
        ratioDispatchToBaseline: Number((dispatchMs / baselineMs).toFixed(2)),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  scheduler?.kill('SIGTERM');
  await new Promise((resolve) => (scheduler ? scheduler.once('exit', resolve) : resolve(undefined)));
  await bus.close();
  await nats.stop();
  await database.drop();
}

/** Commands on the work queue of the imap connectors (none consumes them here). */
async function commandsOnQueue(): Promise<number> {
  const jsm = await bus.jetstreamManager();
  const info = await jsm.streams.info(CONNECTOR_COMMANDS_STREAM.name);
  return info.state.messages;
}

/** Publishes MAILBOXES commands a page at a time, then removes them again. */
async function baseline(): Promise<number> {
  await bus.ensureStream(CONNECTOR_COMMANDS_STREAM);
  const contract = CONNECTOR_ARCHIVE_MAILBOX_V1.imap;
  const runId = randomUUID();
  const started = performance.now();
  for (let start = 0; start < MAILBOXES; start += PAGE) {
    await Promise.all(
      mailboxIds.slice(start, start + PAGE).map((mailboxId) => {
        const taskId = randomUUID();
        return bus.publish(
          contract,
          { taskId, runId, tenantId, profileId: profile.id, mailboxId, profileVersion: 1 },
          { msgId: taskId },
        );
      }),
    );
  }
  const elapsed = performance.now() - started;
  const jsm = await bus.jetstreamManager();
  await jsm.streams.purge(CONNECTOR_COMMANDS_STREAM.name);
  return elapsed;
}
