import { describe, expect, it } from 'vitest';

import {
  foldAttempt,
  type TaskAttempts,
  taskCounters,
  withCatalogTally,
  ZERO_COUNTERS,
} from './task-attempts.js';

const counters = (messagesArchived: number, bytesArchived = messagesArchived * 10) => ({
  messagesArchived,
  duplicatesSkipped: 0,
  messagesFailed: 0,
  bytesArchived,
});

const fresh: TaskAttempts = {
  status: 'queued',
  attempts: 0,
  attemptId: null,
  pastAttemptIds: [],
  pastCounters: ZERO_COUNTERS,
  attemptCounters: ZERO_COUNTERS,
};

describe('foldAttempt', () => {
  it('takes the first report as the current attempt', () => {
    const task = foldAttempt(fresh, { attemptId: 'a', attempt: 1, counters: counters(3) });
    expect(task).toMatchObject({ attempts: 1, attemptId: 'a', pastAttemptIds: [] });
    expect(taskCounters(task!)).toEqual(counters(3));
  });

  it('only raises the counters of one attempt, whatever order its reports arrive in', () => {
    let task = foldAttempt(fresh, { attemptId: 'a', attempt: 1, counters: counters(5) })!;
    task = foldAttempt(task, { attemptId: 'a', attempt: 1, counters: counters(2) })!;
    expect(taskCounters(task)).toEqual(counters(5));
  });

  it('sums a killed attempt with the next one, which starts again from zero', () => {
    let task = foldAttempt(fresh, { attemptId: 'a', attempt: 1, counters: counters(40) })!;
    task = foldAttempt(task, { attemptId: 'b', attempt: 2, counters: counters(7) })!;
    expect(task).toMatchObject({ attempts: 2, attemptId: 'b', pastAttemptIds: ['a'] });
    expect(taskCounters(task)).toEqual(counters(47));
  });

  it('counts a new attempt even when the server reports delivery 1 again (NATS 2.9 after a nak)', () => {
    let task = foldAttempt(fresh, { attemptId: 'a', attempt: 1, counters: counters(1) })!;
    task = foldAttempt(task, { attemptId: 'b', attempt: 1, counters: counters(1) })!;
    expect(task.attempts).toBe(2);
  });

  it('ignores a late report of an attempt already folded into the past', () => {
    let task = foldAttempt(fresh, { attemptId: 'a', attempt: 1, counters: counters(4) })!;
    task = foldAttempt(task, { attemptId: 'b', attempt: 2, counters: counters(1) })!;
    expect(foldAttempt(task, { attemptId: 'a', attempt: 1, counters: counters(9) })).toBeUndefined();
  });
});

describe('withCatalogTally', () => {
  it('takes archived messages and bytes from the catalog, keeping the reported duplicates and failures', () => {
    // Attempt a reported 40 before it was killed having archived 52; attempt b archived the last 8
    // and met 3 of a's unreported messages as its own (counted archived by b).
    let task = foldAttempt(fresh, { attemptId: 'a', attempt: 1, counters: counters(40) })!;
    task = foldAttempt(task, {
      attemptId: 'b',
      attempt: 2,
      counters: { messagesArchived: 11, duplicatesSkipped: 2, messagesFailed: 1, bytesArchived: 110 },
    })!;
    const tallied = withCatalogTally(task, { messages: 60, bytes: 6_123 });
    expect(taskCounters(tallied)).toEqual({
      messagesArchived: 60,
      duplicatesSkipped: 2,
      messagesFailed: 1,
      bytesArchived: 6_123,
    });
    // The current attempt keeps its own counters: a late report of it changes nothing.
    expect(tallied.attemptCounters).toEqual(task.attemptCounters);
    expect(foldAttempt(tallied, { attemptId: 'a', attempt: 1, counters: counters(45) })).toBeUndefined();
  });
});
