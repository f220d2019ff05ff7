import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import {
  type ArchivingProfile,
  CONNECTOR_COMMANDS_STREAM,
  MAILBOXES_RESOLVE_V1,
  PROFILE_GET_V1,
  type Run,
  RUN_FINISHED_V1,
  RUN_GET_V1,
  SCHEDULE_CREATE_V1,
  SCHEDULE_RUN_NOW_V1,
  SERVICE_PING_V1,
  TASK_FINISHED_V1,
} from '@mailkeep/contracts';
import { type ConnectorWorker, runConnectorWorker } from '@mailkeep/connector-kit';
import type { MessageBus } from '@mailkeep/messaging';
import { type ServiceHarness, startServiceHarness, storedEvents, waitFor } from '@mailkeep/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * SC5 and §6 Reliability for the scheduler: the built scheduler runs as its own process and is
 * killed with SIGKILL in the middle of a run, then started again; the run's bookkeeping must come
 * out exactly as if nothing happened. The profiles and directory services are played by this
 * test, the connector is a real connector-kit worker in this process.
 */
const SCHEDULER_ENTRY = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const tenantId = randomUUID();
const profiles = new Map<string, ArchivingProfile>();
const directories = new Map<string, string[]>();
/** Small directory pages make dispatch long enough (many round trips) to be killed in. */
const DIRECTORY_PAGE = 10;

let harness: ServiceHarness;
let bus: MessageBus;
let sql: pg.Pool;
let scheduler: ChildProcess | undefined;

function startScheduler(): Promise<void> {
  const child = spawn(process.execPath, [SCHEDULER_ENTRY], {
    env: {
      ...process.env,
      MAILKEEP_NATS_URL: harness.nats.url,
      MAILKEEP_DATABASE_URL: harness.database.url,
      MAILKEEP_LOG_LEVEL: 'error',
      // The shortest lease and recovery period, so a killed dispatch resumes within seconds.
      MAILKEEP_SCHEDULER_DISPATCH_LEASE_SECONDS: '10',
      MAILKEEP_SCHEDULER_RECOVERY_SECONDS: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  scheduler = child;
  return waitFor(
    () =>
      bus.request(SERVICE_PING_V1, { service: 'scheduler' }, { timeoutMs: 500 }).then(
        () => true,
        () => false,
      ),
    { timeoutMs: 30_000, description: 'scheduler answering pings' },
  ).then(() => undefined);
}

async function killScheduler(): Promise<void> {
  const child = scheduler;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function runNowOf(profile: ArchivingProfile): Promise<Run> {
  const schedule = await bus.request(SCHEDULE_CREATE_V1, {
    tenantId,
    schedule: {
      name: `Schedule ${randomUUID()}`,
      target: { kind: 'archiving-profile', profileId: profile.id },
      timezone: 'UTC',
      recurrence: { type: 'daily', times: ['03:00'] },
    },
  });
  return bus.request(SCHEDULE_RUN_NOW_V1, { tenantId, id: schedule.id });
}

function multiProfile(type: ArchivingProfile['type'], mailboxes: number): ArchivingProfile {
  const directoryServiceId = randomUUID();
  directories.set(
    directoryServiceId,
    Array.from({ length: mailboxes }, () => randomUUID()),
  );
  const profile: ArchivingProfile = {
    id: randomUUID(),
    name: `Profile ${randomUUID()}`,
    type,
    mode: 'multiple',
    credentialsSecretId: randomUUID(),
    directoryServiceId,
    deleteInSource: false,
    serverName: 'mail.example.com',
    version: 1,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  profiles.set(profile.id, profile);
  return profile;
}

async function runRow(runId: string) {
  const { rows } = await sql.query<{ status: string; mailboxes_total: number; dispatched: boolean }>(
    `SELECT status, mailboxes_total, dispatched FROM scheduler.run WHERE id = $1`,
    [runId],
  );
  return rows[0];
}

async function finishedEvents(runId: string): Promise<number> {
  const events = await storedEvents<{ runId: string }>(bus, RUN_FINISHED_V1.subject);
  return events.filter((event) => event.runId === runId).length;
}

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'scheduler_recovery', database: true, blobs: true });
  ({ bus, sql } = harness);
  bus.serve(
    PROFILE_GET_V1,
    (request) => {
      const profile = profiles.get(request.id);
      return profile ? Promise.resolve(profile) : Promise.reject(new Error('unknown profile'));
    },
    { queue: 'profiles' },
  );
  bus.serve(
    MAILBOXES_RESOLVE_V1,
    (request) => {
      const members = directories.get(request.directoryServiceId) ?? [];
      const start = request.cursor === undefined ? 0 : Number(request.cursor);
      const end = Math.min(start + DIRECTORY_PAGE, members.length);
      return Promise.resolve({
        items: members.slice(start, end).map((id) => ({
          id,
          primaryAddress: `${id}@example.com`,
          secondaryAddresses: [],
          displayName: '',
        })),
        nextCursor: end < members.length ? String(end) : null,
      });
    },
    { queue: 'directory' },
  );
  await startScheduler();
}, 60_000);

afterAll(async () => {
  await killScheduler();
  await harness?.close();
});

describe('a scheduler killed with SIGKILL mid-run, then restarted', () => {
  it('while tasks report: the run ends with exact counters and one finished event', async () => {
    const profile = multiProfile('imap', 40);
    const worker: ConnectorWorker = await runConnectorWorker({
      type: 'imap',
      bus,
      blobs: harness.blobs,
      logger: harness.logger,
      concurrency: 4,
      progressIntervalMs: 0,
      handleTask: async (context) => {
        for (let i = 1; i <= 5; i++) {
          const body = `Message-ID: <${i}.${context.task.mailboxId}@example.com>\r\n\r\nbody ${i}\r\n`;
          await context.archive({
            sourceIdentity: `imap:INBOX:1:${i}`,
            folder: 'INBOX',
            source: Readable.from([body]),
          });
          // Slow enough that the run is still going when the scheduler dies.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
    });
    try {
      const run = await runNowOf(profile);
      await waitFor(
        async () => (await bus.request(RUN_GET_V1, { tenantId, id: run.id })).counters.messagesArchived >= 30,
        { description: 'the run half-way through its first mailboxes' },
      );
      await killScheduler();
      // Tasks go on reporting into the stream while no scheduler runs.
      const finishedAtKill = (await storedEvents(bus, TASK_FINISHED_V1.subject)).length;
      await waitFor(async () => (await storedEvents(bus, TASK_FINISHED_V1.subject)).length > finishedAtKill, {
        description: 'a task finished while the scheduler was down',
      });
      await startScheduler();
      const done = await waitFor(
        async () => {
          const shown = await bus.request(RUN_GET_V1, { tenantId, id: run.id });
          return shown.finishedAt === null ? undefined : shown;
        },
        { timeoutMs: 60_000, description: 'the run finished after the restart' },
      );
      expect(done).toMatchObject({
        status: 'succeeded',
        counters: {
          mailboxesTotal: 40,
          mailboxesSucceeded: 40,
          mailboxesFailed: 0,
          messagesArchived: 200,
          duplicatesSkipped: 0,
          messagesFailed: 0,
        },
      });
      await waitFor(async () => (await finishedEvents(run.id)) === 1, { description: 'one finished event' });
    } finally {
      await worker.stop({ graceMs: 100 });
    }
  }, 120_000);

  it('while dispatching: the restarted scheduler resumes and every mailbox gets exactly one task and command', async () => {
    const jsm = await bus.jetstreamManager();
    const before = (await jsm.streams.info(CONNECTOR_COMMANDS_STREAM.name)).state.messages;
    const profile = multiProfile('pop3', 2_000);
    const run = await runNowOf(profile);
    await waitFor(async () => ((await runRow(run.id))?.mailboxes_total ?? 0) >= 200, {
      description: 'dispatch under way',
    });
    await killScheduler();
    const atKill = await runRow(run.id);
    expect(atKill?.dispatched).toBe(false);
    await startScheduler();
    await waitFor(async () => (await runRow(run.id))?.dispatched === true, {
      timeoutMs: 60_000,
      description: 'dispatch resumed and completed',
    });
    const { rows } = await sql.query<{ tasks: string; mailboxes: string; queued: string }>(
      `SELECT count(*) AS tasks, count(DISTINCT mailbox_id) AS mailboxes,
              count(*) FILTER (WHERE status = 'queued') AS queued
         FROM scheduler.task WHERE run_id = $1`,
      [run.id],
    );
    expect(rows[0]).toEqual({ tasks: '2000', mailboxes: '2000', queued: '2000' });
    expect((await runRow(run.id))?.mailboxes_total).toBe(2000);
    // No pop3 worker runs: the work queue holds exactly one command per task, none twice.
    const after = (await jsm.streams.info(CONNECTOR_COMMANDS_STREAM.name)).state.messages;
    expect(after - before).toBe(2000);
  }, 120_000);
});
