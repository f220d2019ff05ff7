import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import {
  ARCHIVE_EVENTS_STREAM,
  type ArchivingProfile,
  ContractError,
  MAILBOXES_RESOLVE_V1,
  PROFILE_GET_V1,
  type Run,
  RUN_CANCEL_V1,
  RUN_FINISHED_V1,
  RUN_GET_V1,
  RUN_LIST_V1,
  RUN_LOG_V1,
  RUN_STARTED_V1,
  RUN_TASKS_V1,
  SCHEDULE_CREATE_V1,
  SCHEDULE_RUN_NOW_V1,
} from '@mailkeep/contracts';
import { type ConnectorWorker, runConnectorWorker, type TaskHandler } from '@mailkeep/connector-kit';
import type { MessageBus } from '@mailkeep/messaging';
import { type ServiceHarness, startServiceHarness, storedEvents, waitFor } from '@mailkeep/testing';
import type { Subscription } from '@nats-io/nats-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { SCHEDULER_SCHEMA } from './database/scheduler-schema.js';
import { SchedulerEnv } from './scheduler.env.js';
import { SchedulerModule } from './scheduler.module.js';

/**
 * Runs carried out (SC3, SC4): the scheduler as it runs, the profiles and directory services
 * played by this test over NATS, and real connector workers (the connector kit on the same NATS
 * and a filesystem blob store) whose handlers archive synthetic messages.
 */
let harness: ServiceHarness;
let bus: MessageBus;
const responders: Subscription[] = [];
const workers: ConnectorWorker[] = [];

const tenantId = randomUUID();
const profiles = new Map<string, ArchivingProfile>();
/** Members of each directory service, served in pages of DIRECTORY_PAGE. */
const directories = new Map<string, string[]>();
/** Small pages, so that a run of a few dozen mailboxes crosses several of them. */
const DIRECTORY_PAGE = 10;

function addProfile(fields: Partial<ArchivingProfile>): ArchivingProfile {
  const id = randomUUID();
  const profile: ArchivingProfile = {
    id,
    name: `Profile ${id}`,
    type: 'pop3',
    mode: 'single',
    credentialsSecretId: randomUUID(),
    deleteInSource: false,
    serverName: 'mail.example.com',
    version: 3,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...fields,
  };
  profiles.set(id, profile);
  return profile;
}

function directoryOf(size: number): { directoryServiceId: string; mailboxIds: string[] } {
  const directoryServiceId = randomUUID();
  const mailboxIds = Array.from({ length: size }, () => randomUUID());
  directories.set(directoryServiceId, mailboxIds);
  return { directoryServiceId, mailboxIds };
}

async function runNow(profile: ArchivingProfile): Promise<Run> {
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

function finished(runId: string): Promise<Run> {
  return waitFor(
    async () => {
      const run = await bus.request(RUN_GET_V1, { tenantId, id: runId });
      return run.finishedAt !== null ? run : undefined;
    },
    { timeoutMs: 30_000, description: `run ${runId} finished` },
  );
}

function message(mailboxId: string, i: number): Readable {
  return Readable.from([
    Buffer.from(`Message-ID: <${i}.${mailboxId}@example.com>\r\nSubject: ${i}\r\n\r\nbody\r\n`),
  ]);
}

async function startWorker(handleTask: TaskHandler, concurrency = 4): Promise<ConnectorWorker> {
  const worker = await runConnectorWorker({
    type: 'pop3',
    bus,
    blobs: harness.blobs,
    logger: harness.logger,
    handleTask,
    concurrency,
    progressIntervalMs: 0,
    retry: { maxDeliver: 2, backoffMs: [50] },
  });
  workers.push(worker);
  return worker;
}

/** Archives `perMailbox` tiny messages per task. */
const archiving =
  (perMailbox: number): TaskHandler =>
  async (context) => {
    for (let i = 1; i <= perMailbox; i++) {
      await context.archive({
        sourceIdentity: `pop3:${i}`,
        folder: '',
        source: message(context.task.mailboxId, i),
      });
    }
  };

/** The events of a subject about one run, from the archive events stream. */
async function runEvents(subject: string, runId: string): Promise<unknown[]> {
  return (await storedEvents<{ runId: string }>(bus, subject)).filter((event) => event.runId === runId);
}

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'scheduler_runs', database: true, blobs: true });
  bus = harness.bus;
  responders.push(
    bus.serve(
      PROFILE_GET_V1,
      (request) => {
        const profile = profiles.get(request.id);
        if (!profile) throw new ContractError('NOT_FOUND', `No profile ${request.id}`);
        return Promise.resolve(profile);
      },
      { queue: 'profiles' },
    ),
    bus.serve(
      MAILBOXES_RESOLVE_V1,
      (request) => {
        const members = directories.get(request.directoryServiceId) ?? [];
        const start = request.cursor === undefined ? 0 : Number(request.cursor);
        const page = members.slice(start, start + DIRECTORY_PAGE);
        const next = start + DIRECTORY_PAGE < members.length ? String(start + DIRECTORY_PAGE) : null;
        return Promise.resolve({
          items: page.map((id) => ({
            id,
            primaryAddress: `${id}@example.com`,
            secondaryAddresses: [],
            displayName: '',
          })),
          nextCursor: next,
        });
      },
      { queue: 'directory' },
    ),
  );
  await harness.startService({
    name: 'scheduler',
    env: SchedulerEnv,
    schema: SCHEDULER_SCHEMA,
    streams: [ARCHIVE_EVENTS_STREAM],
    module: () => SchedulerModule.forRoot({ tickMs: 0, recoveryMs: 0 }),
  });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop({ graceMs: 100 })));
});

afterAll(async () => {
  for (const responder of responders) responder.unsubscribe();
  await harness?.close();
});

describe('runs (SC3, SC4)', () => {
  it('queues one task per enabled mailbox across directory pages and totals their counters', async () => {
    const { directoryServiceId, mailboxIds } = directoryOf(25);
    const profile = addProfile({ mode: 'multiple', directoryServiceId });
    await startWorker(archiving(3));
    const queued = await runNow(profile);
    expect(queued).toMatchObject({ status: 'queued', trigger: 'manual', tasks: [] });

    const run = await finished(queued.id);
    expect(run).toMatchObject({
      status: 'succeeded',
      counters: {
        mailboxesTotal: 25,
        mailboxesSucceeded: 25,
        mailboxesFailed: 0,
        messagesArchived: 75,
        duplicatesSkipped: 0,
        messagesFailed: 0,
      },
    });
    expect(run.counters.bytesArchived).toBeGreaterThan(0);
    expect(run.startedAt).not.toBeNull();
    expect(new Set(run.tasks.map((task) => task.mailboxId))).toEqual(new Set(mailboxIds));
    expect(run.tasks.every((task) => task.status === 'succeeded' && task.attempts === 1)).toBe(true);

    // The tasks page through, 10 at a time.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bus.request(RUN_TASKS_V1, {
        tenantId,
        id: run.id,
        limit: 10,
        ...(cursor && { cursor }),
      });
      seen.push(...page.items.map((task) => task.mailboxId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([...mailboxIds].sort());

    const log = await bus.request(RUN_LOG_V1, { tenantId, id: run.id });
    expect(log.items.map((entry) => entry.message)).toEqual([
      'Run started (manual)',
      'Queued 25 mailbox task(s) for pop3 connectors',
      expect.stringMatching(/^Run succeeded: 25 of 25 mailboxes succeeded, 0 failed; 75 messages archived/),
    ]);
    await waitFor(async () => (await runEvents(RUN_FINISHED_V1.subject, run.id)).length === 1, {
      description: 'run finished event',
    });
    expect(await runEvents(RUN_STARTED_V1.subject, run.id)).toHaveLength(1);

    // A second run of the same mailboxes: the archived events are duplicates now (same ids).
    const again = await finished((await runNow(profile)).id);
    expect(again.counters).toMatchObject({
      messagesArchived: 0,
      duplicatesSkipped: 75,
      mailboxesSucceeded: 25,
    });

    const listed = await bus.request(RUN_LIST_V1, { tenantId, profileId: profile.id, limit: 1 });
    expect(listed.items.map((item) => item.id)).toEqual([again.id]);
    expect(listed.items[0]?.tasks).toEqual([]);
    const older = await bus.request(RUN_LIST_V1, {
      tenantId,
      profileId: profile.id,
      cursor: listed.nextCursor ?? '',
    });
    expect(older.items.map((item) => item.id)).toEqual([run.id]);
  });

  it('completes with errors when a mailbox fails, naming the error on the task and in the log', async () => {
    const { directoryServiceId, mailboxIds } = directoryOf(3);
    const broken = mailboxIds[1];
    const profile = addProfile({ mode: 'multiple', directoryServiceId });
    await startWorker(async (context) => {
      if (context.task.mailboxId === broken) throw new ContractError('AUTH_FAILED', 'LOGIN rejected');
      await archiving(1)(context);
    });
    const run = await finished((await runNow(profile)).id);
    expect(run).toMatchObject({
      status: 'completed-with-errors',
      counters: { mailboxesTotal: 3, mailboxesSucceeded: 2, mailboxesFailed: 1, messagesArchived: 2 },
    });
    // Failed tasks come first in a run's tasks.
    expect(run.tasks[0]).toMatchObject({
      mailboxId: broken,
      status: 'failed',
      attempts: 1,
      lastError: 'authentication: LOGIN rejected',
    });
    const log = await bus.request(RUN_LOG_V1, { tenantId, id: run.id });
    const errors = log.items.filter((entry) => entry.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.mailboxId).toBe(broken);
    expect(errors[0]?.message).toContain('LOGIN rejected');
  });

  it('completes with errors when a folder could not be opened, the task succeeded and the folder named', async () => {
    const { directoryServiceId, mailboxIds } = directoryOf(2);
    const locked = mailboxIds[0];
    const profile = addProfile({ mode: 'multiple', directoryServiceId });
    await startWorker(async (context) => {
      if (context.task.mailboxId === locked) {
        context.folderFailed('Locked Away', new ContractError('TEMPORARY', 'NO [NOPERM] Permission denied'));
      }
      await archiving(1)(context);
    });
    const run = await finished((await runNow(profile)).id);
    expect(run).toMatchObject({
      status: 'completed-with-errors',
      counters: {
        mailboxesTotal: 2,
        mailboxesSucceeded: 2,
        mailboxesFailed: 0,
        messagesArchived: 2,
        messagesFailed: 0,
      },
    });
    const task = run.tasks.find((t) => t.mailboxId === locked);
    expect(task).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(task?.lastError).toMatch(
      /^Folders not opened: Locked Away \(temporary: NO \[NOPERM\] Permission denied\)/,
    );
    const log = await bus.request(RUN_LOG_V1, { tenantId, id: run.id });
    expect(
      log.items.some((entry) => entry.severity === 'warning' && entry.message.includes('Locked Away')),
    ).toBe(true);
  });

  it('fails a run whose profile is gone, and a single-mailbox run archives its one mailbox', async () => {
    const gone = addProfile({ mode: 'single', mailboxId: randomUUID() });
    const queued = await runNow(gone);
    profiles.delete(gone.id);
    // Dispatch is asynchronous; the profile may be read before it is deleted. Either way it ends.
    const run = await finished(queued.id);
    if (run.status === 'failed') {
      const log = await bus.request(RUN_LOG_V1, { tenantId, id: run.id });
      expect(log.items.map((entry) => entry.message)).toContainEqual(
        expect.stringContaining('The run could not start'),
      );
    }

    const single = addProfile({ mode: 'single', mailboxId: randomUUID() });
    await startWorker(archiving(2));
    expect(await finished((await runNow(single)).id)).toMatchObject({
      status: 'succeeded',
      counters: { mailboxesTotal: 1, messagesArchived: 2 },
    });
  });

  it('cancel stops running tasks at their next message and ends queued ones at once', async () => {
    const { directoryServiceId } = directoryOf(12);
    const profile = addProfile({ mode: 'multiple', directoryServiceId });
    const archivedAtCancel = new Map<string, number>();
    let cancelled = false;
    // Two mailboxes at a time, each "slow": one message every 50 ms, for ever unless cancelled.
    await startWorker(async (context) => {
      for (let i = 1; ; i++) {
        await context.archive({
          sourceIdentity: `pop3:${i}`,
          folder: '',
          source: message(context.task.mailboxId, i),
        });
        if (cancelled && !archivedAtCancel.has(context.task.taskId))
          archivedAtCancel.set(context.task.taskId, i);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }, 2);
    const queued = await runNow(profile);
    await waitFor(
      async () => (await bus.request(RUN_GET_V1, { tenantId, id: queued.id })).counters.messagesArchived >= 4,
      { description: 'two tasks archiving' },
    );
    cancelled = true;
    const answer = await bus.request(RUN_CANCEL_V1, { tenantId, id: queued.id });
    // Running until its running tasks report; they may do so before the reply is built.
    expect(['running', 'cancelled']).toContain(answer.status);
    const run = await finished(queued.id);
    expect(run.status).toBe('cancelled');
    expect(run.counters.mailboxesTotal).toBe(12);
    const started = run.tasks.filter((task) => task.counters.messagesArchived > 0);
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(run.tasks.every((task) => task.status === 'cancelled')).toBe(true);
    for (const task of started) {
      // At most the message in flight when the cancel was written went on.
      const atCancel = archivedAtCancel.get(task.id) ?? task.counters.messagesArchived;
      expect(task.counters.messagesArchived).toBeLessThanOrEqual(atCancel + 1);
    }
    await expect(bus.request(RUN_CANCEL_V1, { tenantId, id: queued.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'run_finished',
    });
  });

  it('answers NOT_FOUND for an unknown run and a cursor it did not hand out with VALIDATION', async () => {
    await expect(bus.request(RUN_GET_V1, { tenantId, id: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(bus.request(RUN_GET_V1, { tenantId, id: 'not-an-id' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(bus.request(RUN_LIST_V1, { tenantId, cursor: 'bogus' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});
