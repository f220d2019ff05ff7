import { randomBytes, randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import {
  type ArchiveMailboxCommand,
  type MailboxPayload,
  MESSAGE_ARCHIVED_V1,
  type MessageArchivedEvent,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';

import { storedEvents } from './stored-events.js';
import { waitFor } from './wait-for.js';

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

/** What a connector task left behind: its `task.finished` and the messages it archived. */
export interface ArchiveTaskOutcome {
  readonly finished: TaskFinishedEvent;
  readonly events: MessageArchivedEvent[];
}

/** Waits for the task's `task.finished` (within `timeoutMs`), then reads the task's archived events. */
export async function archiveTaskOutcome(
  bus: StreamReader,
  taskId: string,
  timeoutMs: number,
): Promise<ArchiveTaskOutcome> {
  const finished = await waitFor(() => findTaskFinished(bus, taskId), {
    timeoutMs,
    intervalMs: 100,
    description: `task.finished of ${taskId}`,
  });
  const events = (await storedArchivedEvents(bus)).filter((event) => event.taskId === taskId);
  return { finished, events };
}

/**
 * A message of about `megabytes` MiB: a few headers and one base64 body of random bytes (it does
 * not compress, and every line is a distinct 78-byte CRLF line as in real attachments).
 */
export function largeMessage(megabytes: number, to: string): Buffer {
  const header = `From: a@fabrikam.example\r\nTo: ${to}\r\nSubject: ${megabytes} MB\r\nMessage-ID: <${randomUUID()}@fabrikam.example>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  const line = `${randomBytes(57).toString('base64')}\r\n`;
  return Buffer.concat([
    Buffer.from(header),
    Buffer.from(line.repeat(Math.ceil((megabytes * 1024 * 1024) / line.length))),
  ]);
}

/**
 * Live memory sampling needs a collection first: garbage of a streamed message (chunks already
 * written) otherwise sits in the heap until V8 gets round to it, tens of megabytes that come and
 * go with the machine's load and hide what is really held. `--expose-gc` switched on at run time
 * and `gc` taken from a fresh context is Node's documented way to get the function without a
 * command-line flag.
 */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * How far the live heap and Buffer memory of this process rose above where they were while `work`
 * ran: sampled every `intervalMs` after a full collection, so what is counted is what is held, not
 * garbage waiting to be collected. Both kinds count: a connector that buffered a message would hold
 * it in an ArrayBuffer, outside the V8 heap, or as a string inside it.
 */
export async function peakMemoryGrowth<T>(
  work: () => Promise<T>,
  intervalMs = 500,
): Promise<{ result: T; growth: number }> {
  const gc = collectGarbage();
  const live = (): number => {
    gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const baseline = live();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, live())), intervalMs);
  try {
    const result = await work();
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}
