import { describe, expect, it } from 'vitest';

import { parseCursor } from './folder-cursor.js';

describe('parseCursor', () => {
  it('reads a stored cursor', () => {
    expect(parseCursor({ uidValidity: 7, lastUid: 0 })).toEqual({ uidValidity: 7, lastUid: 0 });
    expect(parseCursor({ uidValidity: 7, lastUid: 9, highestModseq: '18446744073709551615' })).toEqual({
      uidValidity: 7,
      lastUid: 9,
      highestModseq: '18446744073709551615',
    });
    expect(parseCursor({ uidValidity: 8, lastUid: 3, rescan: true })).toEqual({
      uidValidity: 8,
      lastUid: 3,
      rescan: true,
    });
  });

  it.each([
    null,
    'x',
    {},
    { uidValidity: 0, lastUid: 1 },
    { uidValidity: 1, lastUid: -1 },
    { uidValidity: 1, lastUid: 1.5 },
    { uidValidity: 1, lastUid: 1, highestModseq: 5 },
    { uidValidity: 1, lastUid: 1, rescan: false },
  ])('refuses %j', (value) => {
    expect(parseCursor(value)).toBeUndefined();
  });
});
