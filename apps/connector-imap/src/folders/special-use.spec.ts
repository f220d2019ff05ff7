import { describe, expect, it } from 'vitest';

import { assignSpecialUse } from './special-use.js';

const entry = (path: string, flags: string[] = []) => ({ path, delimiter: '.', flags: new Set(flags) });

describe('assignSpecialUse', () => {
  it('gives each type to one folder: the attribute first, then a well-known name, then the shallower and alphabetically first', () => {
    expect(
      assignSpecialUse(
        [
          entry('Trash'),
          entry('Deleted Items'),
          entry('Bin', ['\\Trash']),
          entry('Sent'),
          entry('INBOX.Sent'),
        ],
        true,
      ),
    ).toEqual([undefined, undefined, '\\Trash', '\\Sent', undefined]);
  });

  it('guesses from names alone on a server without SPECIAL-USE', () => {
    expect(
      assignSpecialUse([entry('INBOX.Papierkorb'), entry('Junk', ['\\Junk']), entry('Entwürfe')], false),
    ).toEqual(['\\Trash', '\\Junk', '\\Drafts']);
  });
});
