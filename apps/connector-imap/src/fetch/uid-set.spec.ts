import { describe, expect, it } from 'vitest';

import { uidSet } from './uid-set.js';

describe('uidSet', () => {
  it('collapses runs and sorts', () => {
    expect(uidSet([9, 1, 2, 3, 5, 8])).toBe('1:3,5,8:9');
    expect(uidSet([7])).toBe('7');
    expect(uidSet([4, 4, 5])).toBe('4:5');
  });

  it('refuses what is not a set of UIDs', () => {
    expect(() => uidSet([])).toThrow(/empty/);
    expect(() => uidSet([0])).toThrow(/Invalid UID/);
    expect(() => uidSet([1.5])).toThrow(/Invalid UID/);
    expect(() => uidSet([2 ** 32])).toThrow(/Invalid UID/);
  });
});
