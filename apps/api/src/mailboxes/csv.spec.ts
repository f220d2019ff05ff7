import { describe, expect, it } from 'vitest';

import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quotes, escaped quotes, line breaks in quotes, CRLF, LF, a BOM and skips blank lines', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""",z\n\n"multi\nline",,\r\nlast,row,here';
    expect(parseCsv(text)).toEqual([
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: ['x, y', 'say "hi"', 'z'] },
      { row: 4, cells: ['multi\nline', '', ''] },
      { row: 5, cells: ['last', 'row', 'here'] },
    ]);
  });

  it('reports a malformed record and goes on with the next line', () => {
    const records = parseCsv('h\n"closed"junk,x\nab"c\nok\n"never closed');
    expect(records.map((r) => [r.row, r.error === undefined ? r.cells : 'error'])).toEqual([
      [1, ['h']],
      [2, 'error'],
      [3, 'error'],
      [4, ['ok']],
      [5, 'error'],
    ]);
  });
});
