import { randomUUID } from 'node:crypto';

import {
  type ArchiveTarget,
  connectorTaskHandler,
  type ConnectorWorker,
  runConnectorWorker,
} from '@mailkeep/connector-kit';
import { CONNECTOR_ARCHIVE_MAILBOX_V1 } from '@mailkeep/contracts';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import { FilesystemBlobStore } from '@mailkeep/storage';
import {
  buildMailCorpus,
  type RunningDovecot,
  type ServiceHarness,
  startDovecot,
  startServiceHarness,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { imapConnector } from '../imap-connector.js';
import {
  archiveCommand,
  basicSecret,
  findTaskFinished,
  imapProfile,
  mailbox,
  storedArchivedEvents,
} from '../test-support/fixtures.js';

/**
 * Two workers on one queue, two tasks for one mailbox at the same time: the mailbox lease of the
 * worker loop (libs/connector-kit) must keep them from archiving it at once.
 */
/** Both tasks, one after the other (the second waits for the lease): far under a minute. */
const TASK_TIMEOUT_MS = 45_000;

let harness: ServiceHarness;
let dovecot: RunningDovecot;
let bus: MessageBus;
let logger: Logger;
const workers: ConnectorWorker[] = [];

beforeAll(async () => {
  [harness, dovecot] = await Promise.all([
    startServiceHarness({ name: 'connector-imap-lease', blobs: true }),
    startDovecot({ specialUseFolders: false }),
  ]);
  ({ bus, logger } = harness);
  // The 20 MB message makes a task last long enough for the two to overlap if nothing stops them.
  for (const entry of buildMailCorpus()) await dovecot.deliver('alice', 'INBOX', entry.raw);
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop({ graceMs: 100 })));
  await Promise.all([harness?.close(), dovecot?.stop()]);
});

it('two workers on one queue never archive one mailbox at the same time', async () => {
  const profile = imapProfile({ port: dovecot.ports.imaps });
  const box = mailbox('alice');
  const target: ArchiveTarget = { profile, mailbox: box, credentials: basicSecret('alice', 'alice-pass') };
  let running = 0;
  let mostAtOnce = 0;
  const counted: typeof imapConnector = {
    ...imapConnector,
    archiveMailbox: async (context, t, tools) => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      try {
        await imapConnector.archiveMailbox(context, t, tools);
      } finally {
        running--;
      }
    },
  };
  for (let i = 0; i < 2; i++) {
    workers.push(
      await runConnectorWorker({
        type: 'imap',
        bus,
        // A store of each worker's own on the one directory, as two processes would have.
        blobs: new FilesystemBlobStore({ root: harness.blobs.root, logger }),
        logger,
        concurrency: 2,
        handleTask: connectorTaskHandler(counted, {
          bus,
          logger,
          egress: new Egress(EgressPolicy.fromEntries(dovecot.egressAllowance)),
          loadTarget: () => Promise.resolve(target),
        }),
      }),
    );
  }
  const tenantId = randomUUID();
  const tasks = [0, 1].map(() => archiveCommand({ tenantId, mailboxId: box.id, profileId: profile.id }));
  await Promise.all(
    tasks.map((task) => bus.publish(CONNECTOR_ARCHIVE_MAILBOX_V1.imap, task, { msgId: task.taskId })),
  );

  const finished = await Promise.all(
    tasks.map((task) =>
      waitFor(() => findTaskFinished(bus, task.taskId), {
        timeoutMs: TASK_TIMEOUT_MS,
        intervalMs: 100,
        description: `task.finished of ${task.taskId}`,
      }),
    ),
  );

  expect(mostAtOnce).toBe(1);
  expect(finished.map((f) => f.status)).toEqual(['succeeded', 'succeeded']);
  // One task archived the mailbox, the other found nothing new after it.
  const archived = finished.map((f) => f.counters.messagesArchived).sort((a, b) => a - b);
  const messages = (await dovecot.list('alice', 'INBOX')).length;
  expect(archived).toEqual([0, messages]);
  const events = (await storedArchivedEvents(bus)).filter((e) => e.mailboxId === box.id);
  expect(new Set(events.map((e) => e.sourceIdentity)).size).toBe(messages);
});
