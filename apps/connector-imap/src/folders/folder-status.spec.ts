import { describe, expect, it } from 'vitest';

import { hasNothingNew } from './folder-status.js';

describe('hasNothingNew', () => {
  const cursor = { uidValidity: 1700, lastUid: 41, highestModseq: '90' };

  it('skips a folder whose UIDNEXT has not passed the cursor, whatever HIGHESTMODSEQ says', () => {
    expect(hasNothingNew(cursor, { uidValidity: 1700n, uidNext: 42, messages: 9 }, false)).toBe(true);
    // Flags changed or messages expunged: HIGHESTMODSEQ moved, nothing to archive.
    expect(hasNothingNew(cursor, { uidValidity: 1700n, uidNext: 42, highestModseq: 95n }, false)).toBe(true);
    // UIDNEXT below lastUid + 1 (an old cursor raised to UIDNEXT - 1 by a later pass): still nothing new.
    expect(hasNothingNew(cursor, { uidValidity: 1700n, uidNext: 30 }, false)).toBe(true);
  });

  it('selects a folder with a new UID, another UIDVALIDITY, an unfinished rescan or no cursor', () => {
    expect(hasNothingNew(cursor, { uidValidity: 1700n, uidNext: 43 }, false)).toBe(false);
    expect(hasNothingNew(cursor, { uidValidity: 1701n, uidNext: 42 }, false)).toBe(false);
    expect(hasNothingNew({ ...cursor, rescan: true }, { uidValidity: 1700n, uidNext: 42 }, false)).toBe(
      false,
    );
    expect(hasNothingNew(undefined, { uidValidity: 1700n, uidNext: 1 }, false)).toBe(false);
  });

  it('selects a folder whose STATUS is missing or incomplete', () => {
    expect(hasNothingNew(cursor, undefined, false)).toBe(false);
    expect(hasNothingNew(cursor, { uidNext: 42 }, false)).toBe(false);
    expect(hasNothingNew(cursor, { uidValidity: 1700n }, false)).toBe(false);
  });

  it('with delete in source skips only an empty folder (what is left below the cursor is taken again)', () => {
    expect(hasNothingNew(cursor, { uidValidity: 1700n, uidNext: 42, messages: 3 }, true)).toBe(false);
    expect(hasNothingNew(cursor, { uidValidity: 1700n, uidNext: 42, messages: 0 }, true)).toBe(true);
  });
});
