import { randomUUID } from 'node:crypto';

import {
  type ArchiveMailboxCommand,
  type MailboxPayload,
  MESSAGE_ARCHIVED_V1,
  type MessageArchivedEvent,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';

import { storedEvents } from './stored-events.js';

/**
 * What every connector's integration tests build: the mailbox and task command as the directory
 * and scheduler would send them, and the events a task left on the archive stream.
 */

/** An enabled, manually created mailbox as the directory service answers it. */
export function mailboxPayload(primaryAddress: string, id: string = randomUUID()): MailboxPayload {
  return {
    id,
    primaryAddress,
    secondaryAddresses: [],
    displayName: '',
    directoryServiceId: null,
    enabled: true,
    origin: 'manual',
  };
}

/** A task command with fresh ids, fields overridable. */
export function archiveCommand(overrides: Partial<ArchiveMailboxCommand> = {}): ArchiveMailboxCommand {
  return {
    taskId: randomUUID(),
    runId: randomUUID(),
    tenantId: randomUUID(),
    profileId: randomUUID(),
    mailboxId: randomUUID(),
    profileVersion: 1,
    ...overrides,
  };
}

type StreamReader = Parameters<typeof storedEvents>[0];

export function storedArchivedEvents(bus: StreamReader): Promise<MessageArchivedEvent[]> {
  return storedEvents<MessageArchivedEvent>(bus, MESSAGE_ARCHIVED_V1.subject);
}

/** The task's `task.finished`, when the stream has it. */
export async function findTaskFinished(
  bus: StreamReader,
  taskId: string,
): Promise<TaskFinishedEvent | undefined> {
  const events = await storedEvents<TaskFinishedEvent>(bus, TASK_FINISHED_V1.subject);
  return events.find((event) => event.taskId === taskId);
}
