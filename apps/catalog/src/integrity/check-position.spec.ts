import { describe, expect, it } from 'vitest';

import { formatCheckPosition, parseCheckPosition } from './check-position.js';

describe('integrity check position', () => {
  const hash = 'a'.repeat(64);
  const segmentId = '0b6a4c1e-53a8-4c41-9d8e-2f4f0c5b7a10';

  it('reads positions stored before checks had phases as own-object positions', () => {
    expect(parseCheckPosition(null)).toEqual({ phase: 'objects', after: null });
    expect(parseCheckPosition(hash)).toEqual({ phase: 'objects', after: hash });
  });

  it('round-trips both phases, the start of the segment phase included, within the column', () => {
    for (const position of [
      { phase: 'objects', after: null },
      { phase: 'objects', after: hash },
      { phase: 'segments', after: null },
      { phase: 'segments', after: segmentId },
    ] as const) {
      const column = formatCheckPosition(position);
      expect(column === null || column.length <= 64).toBe(true);
      expect(parseCheckPosition(column)).toEqual(position);
    }
  });
});
