import { randomUUID } from 'node:crypto';

import {
  ContractError,
  TASK_FINISHED_MAX_FAILURES,
  type TaskCounters,
  type TaskError,
  type TaskFolderFailure,
  type TaskMessageFailure,
} from '@mailkeep/contracts';

import type { ArchiveMessageResult } from '../pipeline/archive-message.js';
import type { CategorisedError } from '../policy/policy.js';

/**
 * What one delivery of a task did: its counters, the first failed messages and folders, and the
 * messages held back. Its `id` is the `attemptId` of the attempt's progress and finished events.
 */
export class AttemptTally {
  readonly id = randomUUID();
  readonly counters: TaskCounters = {
    messagesArchived: 0,
    duplicatesSkipped: 0,
    messagesFailed: 0,
    bytesArchived: 0,
  };
  readonly failures: TaskMessageFailure[] = [];
  readonly folderFailures: TaskFolderFailure[] = [];
  /**
   * Messages not archived because our own storage or event stream failed for a while (a
   * retryable failure past the source stage). Not the message's fault and not yet a failure: the
   * connector holds its cursor before them, the task is retried, and only when it is given up
   * are they counted as failed (so a later attempt that archives them leaves no failure behind).
   */
  private heldBack: { count: number; first: TaskMessageFailure[] } = { count: 0, first: [] };

  /** Counts one message's outcome. */
  count(result: ArchiveMessageResult): void {
    const counters = this.counters;
    if (!result.ok && result.stage !== 'source' && result.error.retryable) {
      this.heldBack.count++;
      keepFirst(this.heldBack.first, {
        sourceIdentity: result.sourceIdentity,
        error: taskError(result.error),
      });
    } else if (!result.ok) {
      counters.messagesFailed++;
      keepFirst(this.failures, { sourceIdentity: result.sourceIdentity, error: taskError(result.error) });
    } else if (result.duplicate) {
      counters.duplicatesSkipped++;
    } else {
      counters.messagesArchived++;
      counters.bytesArchived += result.size;
    }
  }

  folderFailed(folder: string, error: CategorisedError): void {
    keepFirst(this.folderFailures, { folder, error: taskError(error) });
  }

  /**
   * The task did its mailbox except messages our own side could not take: never a success (the
   * run would call them archived-with-errors and only the next run would take them). Retryable,
   * so the command is redelivered and the next attempt starts from the connector's held cursor.
   * Undefined when nothing was held back.
   */
  heldBackError(): ContractError | undefined {
    const first = this.heldBack.first[0];
    if (!first) return undefined;
    return new ContractError(
      'TEMPORARY',
      `${this.heldBack.count} message(s) not archived because storage or the event stream failed ` +
        `(first: ${first.error.message}); the task is retried`,
      { reason: 'temporary' },
    );
  }

  /** A given-up task's held-back messages are failures after all (reported with the others). */
  countHeldBackAsFailed(): void {
    this.counters.messagesFailed += this.heldBack.count;
    for (const failure of this.heldBack.first) keepFirst(this.failures, failure);
    this.heldBack = { count: 0, first: [] };
  }
}

export function taskError(error: CategorisedError): TaskError {
  return { code: error.code, category: error.category, message: error.message.slice(0, 4_000) };
}

/** `task.finished` lists the first TASK_FINISHED_MAX_FAILURES of a kind; the counters count all. */
function keepFirst<T>(list: T[], item: T): void {
  if (list.length < TASK_FINISHED_MAX_FAILURES) list.push(item);
}
