import { describe, expect, it } from 'vitest';

import { emlContentDisposition, safeFileName } from './content-disposition.js';

const ID = '7d1c2a1e-0000-4000-8000-000000000001';

describe('Content-Disposition of a raw download', () => {
  it('names the file after the subject, ASCII and RFC 5987', () => {
    expect(emlContentDisposition('Grüße aus Köln', ID)).toBe(
      `attachment; filename="Gru_e aus Koln.eml"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln.eml`,
    );
    // `*` is refused by Windows; ' ( ) are encoded as RFC 5987 requires.
    expect(emlContentDisposition("it's (really) *fine*", ID)).toContain(
      "filename*=UTF-8''it%27s%20%28really%29%20fine.eml",
    );
  });

  it('removes what could break the header or the path', () => {
    const header = emlContentDisposition('../../etc/passwd"; filename="x.exe\r\nSet-Cookie: a=b', ID);
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).not.toContain('/');
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a b c d e f g h i j');
    expect(safeFileName('  ...hidden.  ')).toBe('hidden');
    expect(safeFileName('CON')).toBe('_CON');
    expect([...safeFileName('é'.repeat(300))]).toHaveLength(100);
  });

  it('falls back to the id for a missing or unusable subject', () => {
    expect(emlContentDisposition(null, ID)).toBe(
      `attachment; filename="${ID}.eml"; filename*=UTF-8''${ID}.eml`,
    );
    expect(emlContentDisposition(' /// ', ID)).toContain(`filename="${ID}.eml"`);
  });
});
