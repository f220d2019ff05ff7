import type { Run, RunCounters, RunTask } from '@mailkeep/contracts';

import type { TaskEntity } from '../tasks/task.entity.js';
import { taskCounters } from '../tasks/task-attempts.js';
import type { RunEntity } from './run.entity.js';

export function toRunCounters(entity: RunEntity): RunCounters {
  return {
    mailboxesTotal: entity.mailboxesTotal,
    mailboxesSucceeded: entity.mailboxesSucceeded,
    mailboxesFailed: entity.mailboxesFailed,
    messagesArchived: entity.messagesArchived,
    duplicatesSkipped: entity.duplicatesSkipped,
    messagesFailed: entity.messagesFailed,
    bytesArchived: Number(entity.bytesArchived),
  };
}

export function toRunTask(entity: TaskEntity): RunTask {
  return {
    id: entity.id,
    mailboxId: entity.mailboxId,
    status: entity.status,
    attempts: entity.attempts,
    counters: taskCounters(entity),
    lastError: entity.lastError,
  };
}

/** A run as shown (SPEC §5), with the tasks given (none in lists). */
export function toRun(entity: RunEntity, tasks: readonly TaskEntity[] = []): Run {
  return {
    id: entity.id,
    scheduleId: entity.scheduleId,
    profileId: entity.profileId,
    trigger: entity.trigger,
    status: entity.status,
    startedAt: entity.startedAt?.toISOString() ?? null,
    finishedAt: entity.finishedAt?.toISOString() ?? null,
    counters: toRunCounters(entity),
    tasks: tasks.map(toRunTask),
  };
}
