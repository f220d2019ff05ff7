/**
 * What the profiles, directory and secrets services answer a connector worker when its task
 * starts, served from memory by the bench (which runs the worker without those services), and the
 * `task.finished` events of its tasks.
 */
import {
  type ArchivingProfile,
  ContractError,
  MAILBOX_GET_V1,
  type MailboxPayload,
  PROFILE_GET_V1,
  type ResolvedSecret,
  SECRET_RESOLVE_V2,
  TASK_FINISHED_V1,
  type TaskFinishedEvent,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { sealSecret } from '@mailkeep/secrets-crypto';

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
  bus.serve(MAILBOX_GET_V1, ({ id }) => Promise.resolve(lookup((t) => t.mailbox, id)), {
    queue: 'bench',
  });
  bus.serve(
    SECRET_RESOLVE_V2,
    (request) =>
      Promise.resolve(
        sealSecret(
          request,
          lookup((t) => t.secret, request.id),
        ),
      ),
    {
      queue: 'bench',
    },
  );
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
