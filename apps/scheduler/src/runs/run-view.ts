import type { Run } from '@mailkeep/contracts';

import type { RunEntity } from './run.entity.js';

/** A run as shown (SPEC §5). Tasks appear once dispatch resolves the mailboxes (next part of issue 7). */
export function toRun(entity: RunEntity): Run {
  return {
    id: entity.id,
    scheduleId: entity.scheduleId,
    profileId: entity.profileId,
    trigger: entity.trigger,
    status: entity.status,
    startedAt: entity.startedAt?.toISOString() ?? null,
    finishedAt: entity.finishedAt?.toISOString() ?? null,
    counters: {
      mailboxesTotal: entity.mailboxesTotal,
      mailboxesSucceeded: entity.mailboxesSucceeded,
      mailboxesFailed: entity.mailboxesFailed,
      messagesArchived: entity.messagesArchived,
      duplicatesSkipped: entity.duplicatesSkipped,
      messagesFailed: entity.messagesFailed,
      bytesArchived: Number(entity.bytesArchived),
    },
    tasks: [],
  };
}
