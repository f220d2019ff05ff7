import type { ArchiveMailboxCommand, MessageArchivedEvent, TaskFinishedEvent } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { BlobStore } from '@mailkeep/storage';

import { findTaskFinished, storedArchivedEvents } from './connector-fixtures.js';
import { waitFor } from './wait-for.js';

/**
 * Publishes one archive task to a connector's work subject and waits for its `task.finished`;
 * returns it with the `message.archived` events of that task.
 */
export async function runArchiveTask(
  bus: MessageBus,
  /** The connector's work contract, e.g. `CONNECTOR_ARCHIVE_MAILBOX_V1.imap`. */
  contract: Parameters<MessageBus['publish']>[0],
  command: ArchiveMailboxCommand,
  timeoutMs: number,
): Promise<{ finished: TaskFinishedEvent; events: MessageArchivedEvent[] }> {
  await bus.publish(contract, command, { msgId: command.taskId });
  const finished = await waitFor(() => findTaskFinished(bus, command.taskId), {
    timeoutMs,
    intervalMs: 100,
    description: `task.finished of ${command.taskId}`,
  });
  const events = (await storedArchivedEvents(bus)).filter((event) => event.taskId === command.taskId);
  return { finished, events };
}

/** A stored blob's bytes. */
export async function readBlob(blobs: BlobStore, tenantId: string, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.get(tenantId, sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
