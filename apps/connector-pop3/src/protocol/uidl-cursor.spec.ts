import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { CURSOR_FORMAT, decodeUidlCursor, encodeUidlCursor } from './uidl-cursor.js';

/** Dovecot's default UIDLs: UID then UIDVALIDITY, each as eight upper-case hex digits. */
function dovecotUidls(count: number, uidValidity = 0x6b04fdd1): string[] {
  const validity = uidValidity.toString(16).toUpperCase().padStart(8, '0');
  return Array.from(
    { length: count },
    (_, i) => (i + 1).toString(16).toUpperCase().padStart(8, '0') + validity,
  );
}

/** The size of the KV entry: the cursor as JSON. */
const stored = (uidls: Iterable<string>) => Buffer.byteLength(JSON.stringify(encodeUidlCursor(uidls)));

describe('UIDL cursor', () => {
  it('round-trips a set of unique ids, whatever their order', () => {
    const uidls = ['b', 'a', 'abc', 'ab', '~', '!', 'x'.repeat(70), ...dovecotUidls(5)];
    const cursor = encodeUidlCursor(uidls);
    expect(cursor).toMatchObject({ format: CURSOR_FORMAT, count: uidls.length });
    expect(decodeUidlCursor(JSON.parse(JSON.stringify(cursor)))).toEqual(new Set(uidls));
  });

  it('round-trips the empty set', () => {
    expect(decodeUidlCursor(encodeUidlCursor([]))).toEqual(new Set());
  });

  it('keeps 100 000 Dovecot ids in a few KB, and with gaps (deleted messages) well under 1 MB', () => {
    const all = dovecotUidls(100_000);
    const contiguous = stored(all);
    const gappy = stored(all.filter((_, i) => i % 3 !== 1));
    expect(contiguous).toBeLessThan(16_384);
    expect(gappy).toBeLessThan(256 * 1024);
    expect(decodeUidlCursor(encodeUidlCursor(all)).size).toBe(100_000);
  });

  it('cannot shrink random ids much: 30 000 random 24-character ids still fit under 1 MB', () => {
    // The README's limit: the KV entry must fit NATS max_payload (1 MB by default).
    const random = Array.from({ length: 30_000 }, () => randomBytes(12).toString('hex'));
    expect(stored(random)).toBeLessThan(1024 * 1024);
  });

  it('refuses a value that is not a unique id', () => {
    expect(() => encodeUidlCursor(['with space'])).toThrow('Not a POP3 unique id');
    expect(() => encodeUidlCursor([''])).toThrow('Not a POP3 unique id');
  });

  it('reports an unreadable cursor clearly instead of starting over', () => {
    expect(() => decodeUidlCursor({ lastUid: 5 })).toThrow('The stored POP3 cursor cannot be read');
    expect(() => decodeUidlCursor({ format: CURSOR_FORMAT, count: 1, uidls: 'not deflate' })).toThrow(
      'does not inflate',
    );
    const cursor = encodeUidlCursor(['a', 'b']);
    expect(() => decodeUidlCursor({ ...cursor, count: 3 })).toThrow('holds 2 ids, not 3');
  });
});
