import { describe, expect, it } from 'vitest';

import { planFetches } from './fetch-plan.js';

const limits = { maxRangeBytes: 100, maxRangeMessages: 3, streamAboveBytes: 50 };

describe('planFetches', () => {
  it('groups small messages into ranges bounded by bytes and count, in UID order', () => {
    const plan = planFetches(
      [
        { uid: 1, size: 40 },
        { uid: 2, size: 40 },
        { uid: 3, size: 40 }, // 120 bytes would exceed 100: new range
        { uid: 5, size: 10 },
        { uid: 6, size: 10 }, // three messages: the count limit
        { uid: 7, size: 10 },
      ],
      limits,
    );
    expect(plan).toEqual([
      { kind: 'range', uids: [1, 2], bytes: 80 },
      { kind: 'range', uids: [3, 5, 6], bytes: 60 },
      { kind: 'range', uids: [7], bytes: 10 },
    ]);
  });

  it('streams every large message, and one of unknown size, on its own without reordering', () => {
    const plan = planFetches(
      [
        { uid: 1, size: 10 },
        { uid: 2, size: 51 },
        { uid: 3, size: 10 },
        { uid: 4, size: undefined },
        { uid: 5, size: 50 },
      ],
      limits,
    );
    expect(plan).toEqual([
      { kind: 'range', uids: [1], bytes: 10 },
      { kind: 'stream', uid: 2, size: 51 },
      { kind: 'range', uids: [3], bytes: 10 },
      { kind: 'stream', uid: 4, size: undefined },
      { kind: 'range', uids: [5], bytes: 50 },
    ]);
  });

  it('plans nothing for nothing, and refuses UIDs out of order', () => {
    expect(planFetches([], limits)).toEqual([]);
    expect(() =>
      planFetches(
        [
          { uid: 2, size: 1 },
          { uid: 2, size: 1 },
        ],
        limits,
      ),
    ).toThrow(/ascend/);
  });
});
