import { ARCHIVE_EVENTS_STREAM } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';

/**
 * Whether the archived event stored at `sequence` of ARCHIVE_EVENTS was published by the task
 * itself. A redelivered task meets what its killed attempt archived as duplicates (the stream has
 * their events); those are the task's own messages, not ones an earlier run archived (issue 17
 * item 8). Asked only for duplicates of a redelivered task, so a run over an archived mailbox
 * costs nothing extra. Unreadable (aged out, NATS away): false, counted as a duplicate as before.
 */
export function archivedByTask(bus: MessageBus, logger: Logger) {
  return async (sequence: number, taskId: string): Promise<boolean> => {
    try {
      const jsm = await bus.jetstreamManager();
      const stored = await jsm.streams.getMessage(ARCHIVE_EVENTS_STREAM.name, { seq: sequence });
      return stored?.json<{ taskId?: unknown }>().taskId === taskId;
    } catch (error) {
      logger.warn('could not read the archived event of a duplicate; counted as a duplicate', {
        sequence,
        error: String(error),
      });
      return false;
    }
  };
}
