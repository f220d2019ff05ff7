import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import {
  type ArchiveMailboxCommand,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  CONNECTOR_COMMANDS_STREAM,
  ContractError,
  type ProfileType,
  RUN_CANCELLATIONS_BUCKET,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
  TASK_PROGRESS_V1,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import type { BlobStore, FilesystemBlobStore } from '@mailkeep/storage';
import {
  type ServiceHarness,
  startServiceHarness,
  storedArchivedEvents,
  storedEvents,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { TaskAbortedError } from '../policy/policy.js';
import { type ConnectorWorker, runConnectorWorker, type TaskHandler } from './connector-worker.js';

/** Redeliveries within the test's time: a first back-off of 50 ms instead of the production second. */
const FAST_RETRY = { maxDeliver: 3, backoffMs: [50] };
let harness: ServiceHarness;
let logger: Logger;
let bus: MessageBus;
let blobs: FilesystemBlobStore;
const workers: ConnectorWorker[] = [];

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'connector-kit-worker', blobs: true });
  ({ logger, bus, blobs } = harness);
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop({ graceMs: 100 })));
});

afterAll(() => harness?.close());

function start(
  type: ProfileType,
  handleTask: TaskHandler,
  store: BlobStore = blobs,
): Promise<ConnectorWorker> {
  return runConnectorWorker({
    type,
    bus,
    blobs: store,
    logger,
    handleTask,
    retry: FAST_RETRY,
    concurrency: 2,
    leaseRetryMs: 50,
  }).then((worker) => (workers.push(worker), worker));
}

async function submit(
  type: ProfileType,
  fields: Partial<ArchiveMailboxCommand> = {},
): Promise<ArchiveMailboxCommand> {
  const task: ArchiveMailboxCommand = {
    taskId: randomUUID(),
    runId: randomUUID(),
    tenantId: randomUUID(),
    profileId: randomUUID(),
    mailboxId: randomUUID(),
    profileVersion: 1,
    ...fields,
  };
  await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1[type], task, { msgId: task.taskId });
  return task;
}

function message(i: number): Readable {
  return Readable.from([Buffer.from(`Message-ID: <${i}@example.com>\r\nSubject: ${i}\r\n\r\nbody ${i}\r\n`)]);
}

/** The events of a subject for one task, in stream order. */
async function eventsOf<T extends { taskId: string }>(subject: string, taskId: string): Promise<T[]> {
  return (await storedEvents<T>(bus, subject)).filter((event) => event.taskId === taskId);
}

function finished(taskId: string): Promise<TaskFinishedEvent> {
  return waitFor(async () => (await eventsOf<TaskFinishedEvent>(TASK_FINISHED_V1.subject, taskId))[0], {
    description: `task.finished of ${taskId}`,
  });
}

/** Waits until the work queue holds nothing for the durable: acked or terminated, none pending. */
async function drained(type: ProfileType): Promise<void> {
  const jsm = await bus.jetstreamManager();
  await waitFor(
    async () => {
      const info = await jsm.consumers.info(CONNECTOR_COMMANDS_STREAM.name, `connector-${type}`);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    },
    { description: `connector-${type} drained` },
  );
}

describe('runConnectorWorker', () => {
  it('hands a task to exactly one of two workers sharing the durable, and reports it', async () => {
    const calls: string[] = [];
    const handler: (name: string) => TaskHandler = (name) => async (context) => {
      calls.push(name);
      for (const i of [1, 2, 3]) {
        const result = await context.archive({ sourceIdentity: `pop3:${i}`, folder: '', source: message(i) });
        expect(result.ok).toBe(true);
      }
    };
    await start('imap', handler('a'));
    await start('imap', handler('b'));
    const task = await submit('imap');
    const event = await finished(task.taskId);
    await drained('imap');
    expect(calls).toHaveLength(1);
    expect(event).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      counters: { messagesArchived: 3, duplicatesSkipped: 0, messagesFailed: 0 },
      failures: [],
    });
    expect(event.error).toBeUndefined();
    // The first archived message publishes a progress event at once (then at most one per interval).
    expect((await eventsOf(TASK_PROGRESS_V1.subject, task.taskId)).length).toBeGreaterThanOrEqual(1);
  });

  it('redelivers a task whose handler throws a retryable error', async () => {
    const attempts: number[] = [];
    await start('pop3', async (context) => {
      attempts.push(context.attempt);
      if (context.attempt === 1) throw new ContractError('UNAVAILABLE', 'server restarting');
      await context.archive({ sourceIdentity: 'pop3:a', folder: '', source: message(1) });
    });
    const task = await submit('pop3');
    expect(await finished(task.taskId)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(attempts).toEqual([1, 2]);
  });

  it('gives a task up after its last retryable failure and publishes a failed task.finished', async () => {
    const attempts: number[] = [];
    // The first test's workers on this durable are stopped: this worker alone serves it now.
    await start('imap', (context) => {
      attempts.push(context.attempt);
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    });
    const task = await submit('imap');
    expect(await finished(task.taskId)).toMatchObject({
      status: 'failed',
      attempts: FAST_RETRY.maxDeliver,
      error: { code: 'UNAVAILABLE', category: 'network' },
    });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('works on several mailboxes at once in one worker (concurrency)', async () => {
    const running = new Set<string>();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await start('pop3', async (context) => {
      running.add(context.task.taskId);
      await released;
    });
    const tasks = [await submit('pop3'), await submit('pop3')];
    await waitFor(() => running.size === 2, { description: 'both tasks running in one worker' });
    release();
    for (const task of tasks) expect(await finished(task.taskId)).toMatchObject({ status: 'succeeded' });
  });

  it('terminates a task on a permanent error and publishes a failed task.finished with the failed messages', async () => {
    const attempts: number[] = [];
    await start('m365', async (context) => {
      attempts.push(context.attempt);
      await context.archive({ sourceIdentity: 'm365:good', folder: 'Inbox', source: message(1) });
      const broken = new Readable({ read() {} });
      setImmediate(() => broken.destroy(new ContractError('TIMEOUT', 'fetch timed out')));
      const failed = await context.archive({ sourceIdentity: 'm365:bad', folder: 'Inbox', source: broken });
      expect(failed.ok).toBe(false); // recorded, not thrown: the handler carries on (C4)
      throw new ContractError('AUTH_FAILED', 'token refused');
    });
    const task = await submit('m365');
    const event = await finished(task.taskId);
    await drained('m365');
    expect(attempts).toEqual([1]);
    expect(event).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'AUTH_FAILED', category: 'authentication', message: 'token refused' },
      counters: { messagesArchived: 1, messagesFailed: 1 },
      failures: [{ sourceIdentity: 'm365:bad', error: { code: 'TIMEOUT', category: 'timeout' } }],
    });
  });

  it('retries a task whose messages our own storage refused, and never reports it succeeded with them missing', async () => {
    let refusals = 1;
    // The first put of message 2 fails as a full disk does; the task is redelivered and takes it again.
    const flaky: BlobStore = Object.create(blobs, {
      put: {
        value: (tenantId: string, source: Parameters<BlobStore['put']>[1]) =>
          Buffer.isBuffer(source) && source.includes('<2@example.com>') && refusals-- > 0
            ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))
            : blobs.put(tenantId, source),
      },
    }) as BlobStore;
    const attempts: number[] = [];
    await start(
      'google-workspace',
      async (context) => {
        attempts.push(context.attempt);
        for (const i of [1, 2, 3]) {
          const source = Buffer.from(`Message-ID: <${i}@example.com>\r\n\r\nbody ${i}\r\n`);
          await context.archive({ sourceIdentity: `gws:${i}`, folder: 'INBOX', source });
        }
      },
      flaky,
    );
    const task = await submit('google-workspace');
    const event = await finished(task.taskId);
    expect(attempts).toHaveLength(2);
    // The second attempt archived message 2 and found 1 and 3 announced by the task's first
    // attempt: its own, so archived, not duplicates (issue 17 item 8). Nothing failed in the end.
    expect(event).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 3, duplicatesSkipped: 0, messagesFailed: 0 },
      failures: [],
    });
    const archived = await storedArchivedEvents(bus);
    expect(
      archived
        .filter((e) => e.taskId === task.taskId)
        .map((e) => e.sourceIdentity)
        .sort(),
    ).toEqual(['gws:1', 'gws:2', 'gws:3']);
  });

  it('stops at the next message boundary on shutdown and hands the task to another worker', async () => {
    const archivedBy: Record<string, string[]> = { a: [], b: [] };
    let aborted: unknown;
    const handler: (name: 'a' | 'b') => TaskHandler = (name) => async (context) => {
      for (const i of [1, 2, 3, 4]) {
        if (name === 'a' && i === 3) {
          // Worker a is "fetching" message 3 when it is told to stop; the fetch completes.
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
        }
        try {
          await context.archive({ sourceIdentity: `imap:INBOX:1:${i}`, folder: 'INBOX', source: message(i) });
        } catch (error) {
          aborted = error;
          throw error;
        }
        archivedBy[name]?.push(String(i));
      }
    };
    const a = await start('exchange', handler('a'));
    const task = await submit('exchange');
    await waitFor(() => archivedBy.a?.length === 2, { description: 'worker a archived two messages' });
    await a.stop({ graceMs: 50 });
    expect(aborted).toBeInstanceOf(TaskAbortedError);
    expect(archivedBy.a).toEqual(['1', '2']);

    await start('exchange', handler('b'));
    const event = await finished(task.taskId);
    expect(archivedBy.b).toEqual(['1', '2', '3', '4']);
    // The second attempt finds messages 1 and 2 announced already: the stream dropped their events.
    // (No assertion on `attempts`: nats-server 2.9 rewinds a NAK'd message that no pull is waiting
    // for and redelivers it as delivery 1; newer servers say 2.)
    expect(event).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: 2, duplicatesSkipped: 2, messagesFailed: 0 },
    });
  });

  it('cancels a running task at the next message: task.finished cancelled, not redelivered', async () => {
    let started = false;
    const worker = await start('google-workspace', async (context) => {
      started = true;
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
      await context.archive({ sourceIdentity: 'gmail:1', folder: 'INBOX', source: message(1) });
    });
    const task = await submit('google-workspace');
    await waitFor(() => started, { description: 'task started' });
    expect(worker.cancel(task.taskId)).toBe(true);
    expect(await finished(task.taskId)).toMatchObject({
      status: 'cancelled',
      counters: { messagesArchived: 0 },
    });
    await drained('google-workspace');
  });

  it('cancels every task of a run written to the cancellations bucket: running ones at the next message, queued ones at once', async () => {
    const runId = randomUUID();
    let archivedBeforeCancel = 0;
    // Concurrency 2: two tasks run, the third waits in the queue until one ends.
    await start('imap', async (context) => {
      for (let i = 1; ; i++) {
        const result = await context.archive({
          sourceIdentity: `imap:INBOX:1:${i}`,
          folder: 'INBOX',
          source: message(i),
        });
        expect(result.ok).toBe(true);
        if (i === 2) {
          archivedBeforeCancel++;
          // Busy with message 2 until the cancellation reaches this worker through the watch.
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
        }
      }
    });
    const tasks = [await submit('imap', { runId }), await submit('imap', { runId })];
    await waitFor(() => archivedBeforeCancel === 2, { description: 'both running tasks at message 2' });
    const queued = await submit('imap', { runId });
    const kv = await bus.keyValue(RUN_CANCELLATIONS_BUCKET);
    await kv.put(runId, JSON.stringify({ requestedAt: new Date().toISOString() }));
    for (const task of tasks) {
      // Message 3 was the next boundary: it was not archived.
      expect(await finished(task.taskId)).toMatchObject({
        status: 'cancelled',
        counters: { messagesArchived: 2 },
      });
    }
    expect(await finished(queued.taskId)).toMatchObject({
      status: 'cancelled',
      counters: { messagesArchived: 0 },
    });
    await drained('imap');
  });

  it('never runs two tasks of one mailbox at the same time, across workers', async () => {
    const mailboxId = randomUUID();
    const tenantId = randomUUID();
    let inside = 0;
    let overlapped = false;
    const ran: string[] = [];
    const jsm = await bus.jetstreamManager();
    const handler: TaskHandler = async (context) => {
      inside++;
      if (inside > 1) overlapped = true;
      ran.push(context.task.taskId);
      // Hold the mailbox until every task not yet run has been delivered to a worker (they wait
      // for the lease meanwhile): without the lease, they would be inside the handler now.
      const remaining = 3 - ran.length + 1;
      await waitFor(
        async () => {
          const info = await jsm.consumers.info(CONNECTOR_COMMANDS_STREAM.name, 'connector-pop3');
          return info.num_pending === 0 && info.num_ack_pending === remaining;
        },
        { description: 'the other tasks of the mailbox delivered' },
      );
      inside--;
    };
    await start('pop3', handler);
    await start('pop3', handler);
    const tasks = [
      await submit('pop3', { tenantId, mailboxId }),
      await submit('pop3', { tenantId, mailboxId }),
      await submit('pop3', { tenantId, mailboxId }),
    ];
    for (const task of tasks) expect(await finished(task.taskId)).toMatchObject({ status: 'succeeded' });
    expect(ran).toHaveLength(3);
    expect(overlapped).toBe(false);
  });
});
