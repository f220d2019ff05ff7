/**
 * What the profiles, directory and secrets services answer a connector worker when its task
 * starts, served from memory by the bench (which runs the worker without those services), and the
 * `task.finished` events of its tasks.
 */
import { randomUUID } from 'node:crypto';

import {
  type ArchivingProfile,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  ContractError,
  DIRECTORY_MAILBOX_GET_V1,
  type MailboxPayload,
  PROFILE_GET_V1,
  type ResolvedSecret,
  SECRETS_RESOLVE_V1,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { waitFor } from '@mailkeep/testing';

import { treeCpuSeconds } from '#lib/proc';

export interface TaskTarget {
  readonly profile: ArchivingProfile;
  readonly mailbox: MailboxPayload;
  readonly secret: ResolvedSecret;
}

export interface ServedTargets {
  add(target: TaskTarget): void;
  /** `task.finished` by task id, as they arrive. */
  readonly finished: ReadonlyMap<string, TaskFinishedEvent>;
  stop(): void;
}

export function serveTaskTargets(bus: MessageBus): ServedTargets {
  const targets: TaskTarget[] = [];
  const lookup = <T extends { id: string }>(pick: (t: TaskTarget) => T, id: string): T => {
    const found = targets.map(pick).find((item) => item.id === id);
    if (!found) throw new ContractError('NOT_FOUND', `no ${id}`);
    return found;
  };
  bus.serve(PROFILE_GET_V1, ({ id }) => Promise.resolve(lookup((t) => t.profile, id)), { queue: 'bench' });
  bus.serve(DIRECTORY_MAILBOX_GET_V1, ({ id }) => Promise.resolve(lookup((t) => t.mailbox, id)), {
    queue: 'bench',
  });
  bus.serve(SECRETS_RESOLVE_V1, ({ id }) => Promise.resolve(lookup((t) => t.secret, id)), { queue: 'bench' });
  const finished = new Map<string, TaskFinishedEvent>();
  const subscription = bus.subscribe(TASK_FINISHED_V1, (event) => {
    finished.set(event.taskId, event);
  });
  return {
    add: (target) => targets.push(target),
    finished,
    stop: () => subscription.unsubscribe(),
  };
}

export interface TaskBatch {
  readonly seconds: number;
  /** CPU seconds of the worker process (tree) while the batch ran. */
  readonly cpu: number;
  readonly events: TaskFinishedEvent[];
}

/**
 * Serves the targets, queues one archive task per target for the worker (all at once, as the
 * scheduler does) and waits for every `task.finished`; a failed task fails the batch with the
 * worker's output.
 */
export async function runTaskBatch(options: {
  readonly bus: MessageBus;
  readonly served: ServedTargets;
  readonly type: keyof typeof CONNECTOR_ARCHIVE_MAILBOX_V1;
  readonly worker: { readonly child: { readonly pid?: number | undefined }; output(): string };
  readonly targets: readonly TaskTarget[];
  readonly timeoutMs: number;
}): Promise<TaskBatch> {
  const { bus, served, worker } = options;
  const pid = worker.child.pid;
  if (pid === undefined) throw new Error('the worker has no process');
  const tenantId = randomUUID();
  const taskIds: string[] = [];
  const cpuBefore = treeCpuSeconds([pid]);
  const started = performance.now();
  for (const target of options.targets) {
    served.add(target);
    const taskId = randomUUID();
    taskIds.push(taskId);
    await bus.publish(
      CONNECTOR_ARCHIVE_MAILBOX_V1[options.type],
      {
        taskId,
        runId: randomUUID(),
        tenantId,
        profileId: target.profile.id,
        mailboxId: target.mailbox.id,
        profileVersion: 1,
      },
      { msgId: taskId },
    );
  }
  await waitFor(() => taskIds.every((id) => served.finished.has(id)), {
    timeoutMs: options.timeoutMs,
    intervalMs: 100,
    description: `the ${options.type} tasks to finish`,
  });
  const events = taskIds.map((id) => served.finished.get(id) as TaskFinishedEvent);
  const failed = events.filter((e) => e.status !== 'succeeded');
  if (failed.length > 0)
    throw new Error(
      `${options.type} tasks failed: ${JSON.stringify(failed.map((e) => e.error))}\n${worker.output()}`,
    );
  return { seconds: (performance.now() - started) / 1000, cpu: treeCpuSeconds([pid]) - cpuBefore, events };
}
