import { describe, expect, it } from 'vitest';

import { CursorTracker } from './cursor-tracker.js';

describe('CursorTracker', () => {
  it('never advances past a message that is still in flight, whatever the completion order', () => {
    const tracker = new CursorTracker<number>(10);
    for (const uid of [11, 12, 13, 14]) tracker.start(uid);
    tracker.archived(13);
    tracker.archived(14);
    expect(tracker.safe).toBe(10);
    tracker.archived(12);
    expect(tracker.safe).toBe(10);
    tracker.archived(11);
    expect(tracker.safe).toBe(14);
    expect(tracker.inFlight).toBe(0);
  });

  it('records failures and moves past them, so one bad message does not hold the cursor', () => {
    const tracker = new CursorTracker<number, string>();
    expect(tracker.safe).toBeUndefined();
    tracker.start(1);
    tracker.start(2);
    tracker.start(3);
    tracker.archived(1);
    expect(tracker.safe).toBe(1);
    tracker.archived(3);
    tracker.failed(2, 'storage');
    expect(tracker.safe).toBe(3);
    expect(tracker.failures).toEqual([{ position: 2, error: 'storage' }]);
  });

  it('refuses positions that go backwards and settling what was not started', () => {
    const tracker = new CursorTracker<number>(5);
    expect(() => tracker.start(5)).toThrow(/does not follow/);
    tracker.start(6);
    tracker.archived(6);
    expect(() => tracker.archived(6)).toThrow(/not started/);
    expect(() => tracker.start(4)).toThrow(/does not follow/);
  });

  it('orders any position type with a comparator', () => {
    const tracker = new CursorTracker<string>(undefined, (a, b) => a.localeCompare(b));
    tracker.start('a');
    tracker.start('b');
    tracker.archived('b');
    expect(tracker.safe).toBeUndefined();
    tracker.archived('a');
    expect(tracker.safe).toBe('b');
  });
});
