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
    const cursor = { after: '2026-11-24T05:00:00.000Z', id: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(encodeCursor(cursor), 'instant')).toEqual(cursor);
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

  it('checks what a forged cursor would hand to SQL, by the sort key of the list', () => {
    const id = '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
    const forged = (after: string, cursorId = id) => encodeCursor({ after, id: cursorId });
    // Times PostgreSQL cannot read (Date.parse takes some of them), beyond its range, or not UTC ISO.
    for (const after of [
      '1',
      'yesterday',
      '2026-13-01T00:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
      '2026-11-24',
    ]) {
      expect(() => decodeCursor(forged(after), 'instant'), after).toThrow(InvalidCursorError);
    }
    // Ids that are not UUIDs, whatever the sort key.
    for (const sortKey of ['instant', 'text', 'integer'] as const) {
      expect(() => decodeCursor(forged('2026-11-24T05:00:00.000Z', 'x'), sortKey)).toThrow(
        InvalidCursorError,
      );
    }
    // NUL bytes and huge texts; integers that overflow a bigint.
    expect(() => decodeCursor(forged('a\u0000b'))).toThrow(InvalidCursorError);
    expect(() => decodeCursor(forged('a'.repeat(5_000)))).toThrow(InvalidCursorError);
    expect(decodeCursor(forged('sales team'))).toEqual({ after: 'sales team', id });
    expect(decodeCursor(forged('12345'), 'integer')).toEqual({ after: '12345', id });
    expect(() => decodeCursor(forged('99999999999999999999'), 'integer')).toThrow(InvalidCursorError);
  });
});
