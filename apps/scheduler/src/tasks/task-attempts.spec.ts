import { describe, expect, it } from 'vitest';

import { foldAttempt, type TaskAttempts, taskCounters, ZERO_COUNTERS } from './task-attempts.js';

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
