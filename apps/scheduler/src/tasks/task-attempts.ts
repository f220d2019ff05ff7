import type { RunTaskStatus, TaskCounters } from '@mailkeep/contracts';

export const ZERO_COUNTERS: Readonly<TaskCounters> = Object.freeze({
  messagesArchived: 0,
  duplicatesSkipped: 0,
  messagesFailed: 0,
  bytesArchived: 0,
});

const FIELDS = ['messagesArchived', 'duplicatesSkipped', 'messagesFailed', 'bytesArchived'] as const;

export function addCounters(a: TaskCounters, b: TaskCounters): TaskCounters {
  return Object.fromEntries(FIELDS.map((field) => [field, a[field] + b[field]])) as unknown as TaskCounters;
}

export function subtractCounters(a: TaskCounters, b: TaskCounters): TaskCounters {
  return Object.fromEntries(FIELDS.map((field) => [field, a[field] - b[field]])) as unknown as TaskCounters;
}

function maxCounters(a: TaskCounters, b: TaskCounters): TaskCounters {
  return Object.fromEntries(
    FIELDS.map((field) => [field, Math.max(a[field], b[field])]),
  ) as unknown as TaskCounters;
}

/** A task's attempt bookkeeping, as stored. */
export interface TaskAttempts {
  readonly status: RunTaskStatus;
  readonly attempts: number;
  readonly attemptId: string | null;
  readonly pastAttemptIds: readonly string[];
  readonly pastCounters: TaskCounters;
  readonly attemptCounters: TaskCounters;
}

/** What a task event says about one attempt. */
export interface AttemptReport {
  readonly attemptId: string;
  /** The delivery count the worker saw. */
  readonly attempt: number;
  readonly counters: TaskCounters;
}

export const TERMINAL_TASK_STATUSES: readonly RunTaskStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * Folds a progress or finished report into a task's attempts. Counters restart with every
 * delivery of the command, so a report of a new attempt moves the current attempt's counters into
 * the past; a late report of an attempt already folded is stale (undefined); reports of one
 * attempt only ever raise its counters (they may be handled out of order). Pure, for testing.
 */
export function foldAttempt(task: TaskAttempts, report: AttemptReport): TaskAttempts | undefined {
  if (task.pastAttemptIds.includes(report.attemptId)) return undefined;
  if (task.attemptId === report.attemptId) {
    return {
      ...task,
      attempts: Math.max(task.attempts, report.attempt),
      attemptCounters: maxCounters(task.attemptCounters, report.counters),
    };
  }
  const previous = task.attemptId;
  return {
    ...task,
    // NATS 2.9 may report delivery 1 again after a nak: count distinct attempts as well.
    attempts: Math.max(task.attempts + 1, report.attempt),
    attemptId: report.attemptId,
    pastAttemptIds: previous === null ? task.pastAttemptIds : [...task.pastAttemptIds, previous],
    pastCounters: addCounters(task.pastCounters, task.attemptCounters),
    attemptCounters: { ...report.counters },
  };
}

/** A task's counters: its past attempts and the current one. */
export function taskCounters(task: Pick<TaskAttempts, 'pastCounters' | 'attemptCounters'>): TaskCounters {
  return addCounters(task.pastCounters, task.attemptCounters);
}

/** What the catalog holds of a task (TASK_TALLY_V1). */
export interface CatalogTally {
  readonly messages: number;
  readonly bytes: number;
}

/**
 * A task delivered more than once gets its archived messages and bytes from the catalog (issue
 * 17 item 8): an attempt killed after its last progress event archived messages no report
 * counted, and the next attempt skips them (before its cursor) or meets them again (counted as
 * its own by the event's origin, see bus.publish). Duplicates and failures stay as the attempts
 * reported them.
 * The difference goes into `pastCounters`, so the task's counters are the truth. Pure, for testing.
 */
export function withCatalogTally(task: TaskAttempts, tally: CatalogTally): TaskAttempts {
  const truth: TaskCounters = {
    ...taskCounters(task),
    messagesArchived: tally.messages,
    bytesArchived: tally.bytes,
  };
  return { ...task, pastCounters: subtractCounters(truth, task.attemptCounters) };
}
