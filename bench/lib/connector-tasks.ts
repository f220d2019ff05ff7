/**
 * Archive tasks sent straight to one connector worker (no scheduler), as the cloud-connector
 * benchmarks run them: a single-mode profile per mailbox served from memory (task-targets.ts),
 * one command per mailbox, then the wait for every `task.finished` with the worker's CPU over it.
 */
import { randomUUID } from 'node:crypto';

import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  type MailboxPayload,
  type ProfileType,
  type ResolvedSecret,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { waitFor } from '@mailkeep/testing';

import { treeCpuSeconds } from '#lib/proc';
import type { BenchProcess } from '#lib/services';
import type { ServedTargets } from '#lib/task-targets';

/** Ten minutes bound a hang of the whole archive. */
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

/** One mailbox to archive: its address, the type's profile settings and the secret's fields. */
export interface MailboxTask {
  readonly address: string;
  readonly settings: Omit<
    ArchivingProfile,
    | 'id'
    | 'name'
    | 'mode'
    | 'credentialsSecretId'
    | 'mailboxId'
    | 'deleteInSource'
    | 'version'
    | 'createdAt'
    | 'updatedAt'
  > & { type: ProfileType };
  readonly secret: Omit<ResolvedSecret, 'id'>;
}

export interface TasksOutcome {
  readonly seconds: number;
  /** CPU seconds of the worker process over the tasks. */
  readonly cpu: number;
  readonly events: TaskFinishedEvent[];
}

/** Sends one task per mailbox to `worker` and waits for all; throws with the worker's output when one fails. */
export async function runMailboxTasks(
  bus: MessageBus,
  served: ServedTargets,
  worker: BenchProcess,
  tasks: readonly MailboxTask[],
): Promise<TasksOutcome> {
  const pid = worker.child.pid;
  if (!pid) throw new Error('the worker has no process id');
  const tenantId = randomUUID();
  const taskIds: string[] = [];
  const cpuBefore = treeCpuSeconds([pid]);
  const started = performance.now();
  for (const task of tasks) {
    const now = new Date().toISOString();
    const secretId = randomUUID();
    const mailbox: MailboxPayload = {
      id: randomUUID(),
      primaryAddress: task.address,
      secondaryAddresses: [],
      displayName: '',
      directoryServiceId: null,
      enabled: true,
      origin: 'manual',
    };
    const profile: ArchivingProfile = {
      ...task.settings,
      id: randomUUID(),
      name: `bench ${task.address}`,
      mode: 'single',
      credentialsSecretId: secretId,
      mailboxId: mailbox.id,
      deleteInSource: false,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    served.add({ profile, mailbox, secret: { ...task.secret, id: secretId } });
    const taskId = randomUUID();
    taskIds.push(taskId);
    await bus.publish(
      CONNECTOR_ARCHIVE_MAILBOX_V1[task.settings.type],
      {
        taskId,
        runId: randomUUID(),
        tenantId,
        profileId: profile.id,
        mailboxId: mailbox.id,
        profileVersion: 1,
      },
      { msgId: taskId },
    );
  }
  await waitFor(() => taskIds.every((id) => served.finished.has(id)), {
    timeoutMs: RUN_TIMEOUT_MS,
    intervalMs: 100,
    description: `the ${worker.name} tasks to finish`,
  });
  const events = taskIds.map((id) => served.finished.get(id) as TaskFinishedEvent);
  const failed = events.filter((e) => e.status !== 'succeeded');
  if (failed.length > 0)
    throw new Error(
      `${worker.name} tasks failed: ${JSON.stringify(failed.map((e) => e.error))}\n${worker.output()}`,
    );
  return { seconds: (performance.now() - started) / 1000, cpu: treeCpuSeconds([pid]) - cpuBefore, events };
}
