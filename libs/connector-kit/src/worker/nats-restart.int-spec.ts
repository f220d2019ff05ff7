import { CONNECTOR_ARCHIVE_MAILBOX_V1 } from '@mailkeep/contracts';
import {
  archiveCommand,
  findTaskFinished,
  type ServiceHarness,
  startServiceHarness,
  storedArchivedEvents,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { type ConnectorWorker, runConnectorWorker } from './connector-worker.js';

// Its own file and server: the test SIGKILLs nats-server, which would disturb other tests' consumers.
let harness: ServiceHarness;
let worker: ConnectorWorker | undefined;

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'connector-kit-nats-restart', blobs: true });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 100 });
  await harness?.close();
});

const message = (i: number) =>
  Buffer.from(`Message-ID: <${i}@example.com>\r\nSubject: ${i}\r\n\r\nbody ${i}\r\n`);

it('resends an archived event while the NATS server restarts, so the task succeeds with every message', async () => {
  const { nats, bus, blobs, logger } = harness;
  let during: unknown;
  worker = await runConnectorWorker({
    type: 'imap',
    bus,
    blobs,
    logger,
    handleTask: async (context) => {
      await context.archive({ sourceIdentity: 'imap:INBOX:1:1', folder: 'INBOX', source: message(1) });
      // SIGKILLed and back after longer than a JetStream publish waits for its ack (5 s): before
      // the fix the event of message 2 failed with `timeout` and the task still said `succeeded`.
      await nats.kill();
      const back = new Promise((resolve) => setTimeout(resolve, 6_500)).then(() => nats.restart());
      during = await context.archive({
        sourceIdentity: 'imap:INBOX:1:2',
        folder: 'INBOX',
        source: message(2),
      });
      await back;
    },
  });
  const task = archiveCommand();
  await bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.imap, task, { msgId: task.taskId });
  const finished = await waitFor(() => findTaskFinished(bus, task.taskId), {
    timeoutMs: 30_000,
    description: 'task.finished after the restart',
  });
  expect(during).toMatchObject({ ok: true });
  expect(finished).toMatchObject({
    status: 'succeeded',
    attempts: 1,
    counters: { messagesArchived: 2, messagesFailed: 0 },
  });
  const archived = await storedArchivedEvents(bus);
  expect(archived.map((event) => event.sourceIdentity).sort()).toEqual(['imap:INBOX:1:1', 'imap:INBOX:1:2']);
});
