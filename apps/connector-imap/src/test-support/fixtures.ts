/**
 * Test fixtures of this app's integration tests (excluded from the build, see tsconfig.app.json):
 * profiles, mailboxes and secrets as the services would answer them, and the archive events a
 * task produced. Nothing here talks to IMAP.
 */
import { randomUUID } from 'node:crypto';

import {
  ARCHIVE_EVENTS_STREAM,
  type ArchiveMailboxCommand,
  type ArchivingProfile,
  type MailboxPayload,
  MESSAGE_ARCHIVED_V1,
  type MessageArchivedEvent,
  type ResolvedSecret,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';

export function imapProfile(overrides: Partial<ArchivingProfile> = {}): ArchivingProfile {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `imap ${randomUUID()}`,
    type: 'imap',
    mode: 'single',
    credentialsSecretId: randomUUID(),
    mailboxId: randomUUID(),
    deleteInSource: false,
    serverName: '127.0.0.1',
    protocol: 'imap-ssl',
    // Ten seconds: far above what a local Dovecot needs, far below the test timeout.
    timeoutSeconds: 10,
    // The harness's certificate is self-signed; only the TLS tests check it.
    ignoreTlsCertificateErrors: true,
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

export function basicSecret(username: string, password: string, id: string = randomUUID()): ResolvedSecret {
  return { id, type: 'basic', username, password };
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

/** `imap:<folder>:<uidvalidity>:<uid>` split from the right (folder names may hold colons). */
export function parseSourceIdentity(identity: string): { folder: string; uidValidity: number; uid: number } {
  const match = /^imap:(.*):(\d+):(\d+)$/.exec(identity);
  if (!match) throw new Error(`not an IMAP source identity: ${identity}`);
  return { folder: match[1] as string, uidValidity: Number(match[2]), uid: Number(match[3]) };
}

/**
 * Every event of one subject stored in ARCHIVE_EVENTS, in stream order: after the stream's
 * Nats-Msg-Id de-duplication, unlike a core subscription, which also sees the dropped duplicates.
 */
export async function storedEvents<T>(bus: MessageBus, subject: string): Promise<T[]> {
  const consumer = await bus.jetstream.consumers.get(ARCHIVE_EVENTS_STREAM.name, {
    filter_subjects: subject,
  });
  const total = (await consumer.info(true)).num_pending;
  const found: T[] = [];
  while (found.length < total) {
    // A thousand per pull keeps a pull's payload small; one second is plenty on a local server.
    const batch = await consumer.fetch({
      max_messages: Math.min(1_000, total - found.length),
      expires: 1_000,
    });
    const before = found.length;
    for await (const message of batch) found.push(message.json<T>());
    if (found.length === before) throw new Error(`${subject}: read ${before} of ${total} stored events`);
  }
  return found;
}

export function storedArchivedEvents(bus: MessageBus): Promise<MessageArchivedEvent[]> {
  return storedEvents<MessageArchivedEvent>(bus, MESSAGE_ARCHIVED_V1.subject);
}

/** The task's `task.finished`, when the stream has it. */
export async function findTaskFinished(
  bus: MessageBus,
  taskId: string,
): Promise<TaskFinishedEvent | undefined> {
  const events = await storedEvents<TaskFinishedEvent>(bus, TASK_FINISHED_V1.subject);
  return events.find((event) => event.taskId === taskId);
}
