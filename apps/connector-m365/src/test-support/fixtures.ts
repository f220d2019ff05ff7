/**
 * Test fixtures of this app's integration tests (excluded from the build, see tsconfig.app.json):
 * profiles, mailboxes and secrets as the services would answer them, and the events a task produced.
 */
import { randomUUID } from 'node:crypto';

import {
  type ArchiveMailboxCommand,
  type ArchivingProfile,
  type MailboxPayload,
  MESSAGE_ARCHIVED_V1,
  type MessageArchivedEvent,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { storedEvents } from '@mailkeep/testing';

export function m365Profile(overrides: Partial<ArchivingProfile> = {}): ArchivingProfile {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `m365 ${randomUUID()}`,
    type: 'm365',
    mode: 'single',
    credentialsSecretId: randomUUID(),
    mailboxId: randomUUID(),
    deleteInSource: false,
    applicationId: randomUUID(),
    directoryId: randomUUID(),
    folders: { include: [], exclude: [], excludeDefaults: true },
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function mailbox(primaryAddress: string, id: string = randomUUID()): MailboxPayload {
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

export function storedArchivedEvents(bus: MessageBus): Promise<MessageArchivedEvent[]> {
  return storedEvents<MessageArchivedEvent>(bus, MESSAGE_ARCHIVED_V1.subject);
}

export async function findTaskFinished(
  bus: MessageBus,
  taskId: string,
): Promise<TaskFinishedEvent | undefined> {
  const events = await storedEvents<TaskFinishedEvent>(bus, TASK_FINISHED_V1.subject);
  return events.find((event) => event.taskId === taskId);
}
