import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONNECTOR_ARCHIVE_MAILBOX_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { FilesystemBlobStore } from '@mailkeep/storage';
import {
  archiveCommand,
  findTaskFinished,
  type PrivateNatsServer,
  startNatsServer,
  storedArchivedEvents,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { type ConnectorWorker, runConnectorWorker } from './connector-worker.js';

// Its own file and server: the test SIGKILLs nats-server, which would disturb other tests' consumers.
const logger = createLogger({ service: 'connector-kit-test', level: 'fatal' });
let nats: PrivateNatsServer;
let bus: MessageBus;
let root: string;
let worker: ConnectorWorker | undefined;

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await MessageBus.connect({ servers: nats.url, name: 'connector-kit-nats-restart-test', logger });
  root = mkdtempSync(join(tmpdir(), 'mailkeep-nats-restart-'));
});

afterAll(async () => {
  await worker?.stop({ graceMs: 100 });
  await bus?.close();
  await nats?.stop();
  rmSync(root, { recursive: true, force: true });
});

const message = (i: number) =>
  Buffer.from(`Message-ID: <${i}@example.com>\r\nSubject: ${i}\r\n\r\nbody ${i}\r\n`);

it('resends an archived event while the NATS server restarts, so the task succeeds with every message', async () => {
  let during: unknown;
  worker = await runConnectorWorker({
    type: 'imap',
    bus,
    blobs: new FilesystemBlobStore({ root, logger }),
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
