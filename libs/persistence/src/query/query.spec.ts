import { describe, expect, it } from 'vitest';

import {
  containsPattern,
  decodeCursor,
  encodeCursor,
  escapeLikePattern,
  InvalidCursorError,
  searchAsId,
} from '../index.js';

describe('search helpers', () => {
  it('escapes LIKE wildcards so they match literally', () => {
    expect(escapeLikePattern('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(containsPattern('Sales_%')).toBe('%sales\\_\\%%');
  });

  it('recognises a whole id in any case, and nothing partial', () => {
    expect(searchAsId(' 0A1B2C3D-0000-4000-8000-00000000000F ')).toBe('0a1b2c3d-0000-4000-8000-00000000000f');
    expect(searchAsId('0a1b2c3d-0000-4000-8000')).toBeUndefined();
    expect(searchAsId('sales')).toBeUndefined();
  });
});

describe('cursors', () => {
  it('round-trips and rejects anything foreign', () => {
    const cursor = { after: '2026-11-24T05:00:00.000Z', id: 'abc' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(() => decodeCursor('nonsense')).toThrow(InvalidCursorError);
    // A VALIDATION ContractError naming the field: services let it propagate, callers get a 400.
    const error = (() => {
      try {
        decodeCursor('nonsense');
      } catch (thrown) {
        return thrown as InvalidCursorError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('VALIDATION');
    expect(error?.fields?.map((field) => field.field)).toEqual(['cursor']);
    expect(() => decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toThrow(InvalidCursorError);
  });
});
