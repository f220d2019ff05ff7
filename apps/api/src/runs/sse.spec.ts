import { ContractError } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { logSequence, parseLastEventId, RecentIds, sseEvent } from './sse.js';

describe('server-sent event framing', () => {
  it('writes id, event and one data line, then a blank line', () => {
    expect(sseEvent('log', { message: 'two\nlines' }, '42')).toBe(
      'id: 42\nevent: log\ndata: {"message":"two\\nlines"}\n\n',
    );
    expect(sseEvent('run', { id: 'r' })).toBe('event: run\ndata: {"id":"r"}\n\n');
  });
});

describe('Last-Event-ID', () => {
  it('compares ids as numbers, also beyond the exact range of a double', () => {
    expect(parseLastEventId('9')! < logSequence('10')!).toBe(true);
    expect(parseLastEventId('9007199254740993')).toBe(9007199254740993n);
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId(' ')).toBeUndefined();
  });

  it('refuses a header that is not an entry id, naming it', () => {
    for (const bad of ['abc', '-1', '1.5', '1'.repeat(31)]) {
      const error = (() => {
        try {
          parseLastEventId(bad);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(ContractError);
      expect(error).toMatchObject({ code: 'VALIDATION', fields: [{ field: 'Last-Event-ID' }] });
    }
  });
});

describe('recent ids', () => {
  it('forgets the oldest beyond its capacity', () => {
    const recent = new RecentIds(2);
    recent.add('1');
    recent.add('2');
    recent.add('3');
    expect([recent.has('1'), recent.has('2'), recent.has('3')]).toEqual([false, true, true]);
  });
});
