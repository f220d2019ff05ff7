import type { ArchiveMailboxCommand } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';

import { archiveTaskOutcome, type ArchiveTaskOutcome } from './connector-fixtures.js';

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
): Promise<ArchiveTaskOutcome> {
  await bus.publish(contract, command, { msgId: command.taskId });
  return archiveTaskOutcome(bus, command.taskId, timeoutMs);
}
