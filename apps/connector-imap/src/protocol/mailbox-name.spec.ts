import { describe, expect, it } from 'vitest';

import { folderNameOf, quotable, rawName } from './mailbox-name.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('folderNameOf', () => {
  it('names canonical modified UTF-7 by its text with / between levels, as before', () => {
    expect(folderNameOf(bytes('INBOX.Entw&APw-rfe &- Notizen'), '.')).toBe('INBOX/Entwürfe & Notizen');
    expect(folderNameOf(bytes('&AMQ-rger &- Co/Unter'), '/')).toBe('Ärger & Co/Unter');
    expect(folderNameOf(bytes('inbox.Kunden'), '.')).toBe('INBOX/Kunden');
    expect(folderNameOf(bytes('Flat'), null)).toBe('Flat');
  });

  it('names anything a decoder would read as another name by its bytes', () => {
    expect(folderNameOf(bytes('&AGE-'), '.')).toBe('raw:&AGE-'); // decodes to "a"
    expect(folderNameOf(bytes('&ZZZ'), '.')).toBe('raw:&ZZZ');
    expect(folderNameOf(bytes('bad&-x&'), '.')).toBe('raw:bad&-x&');
    // A level holding `/`, empty levels: joined with / they would meet other names.
    expect(folderNameOf(bytes('a/b'), '.')).toBe('raw:a/b');
    expect(folderNameOf(bytes('/'), '.')).toBe('raw:/');
    expect(folderNameOf(bytes('//x'), '/')).toBe('raw://x');
    expect(folderNameOf(bytes('x.'), '.')).toBe('raw:x.');
    // A decoded name that looks like a raw one.
    expect(folderNameOf(bytes('raw:x'), '.')).toBe('raw:raw:x');
  });

  it('keeps every byte of a name that is not UTF-8, so two such names stay two', () => {
    expect(folderNameOf(bytes('caf', [0xe9]), '.')).toBe('raw:caf\\xE9');
    expect(folderNameOf(bytes('caf', [0xe8]), '.')).toBe('raw:caf\\xE8');
    expect(rawName(bytes('a\\b', [0x0d, 0x7f]))).toBe('raw:a\\x5Cb\\x0D\\x7F');
  });

  it('reads names as UTF-8 when the session enabled UTF8=ACCEPT', () => {
    expect(folderNameOf(Buffer.from('INBOX.Entwürfe & Notizen'), '.', true)).toBe('INBOX/Entwürfe & Notizen');
    expect(folderNameOf(bytes('caf', [0xe9]), '.', true)).toBe('raw:caf\\xE9');
  });
});

describe('quotable', () => {
  it('allows 7-bit text in a quoted string and sends the rest as a literal (RFC 3501 §4.3)', () => {
    expect(quotable(bytes('bad&-x& "q" \\'))).toBe(true);
    expect(quotable(bytes('caf', [0xe9]))).toBe(false);
    expect(quotable(bytes('a\r\nb'))).toBe(false);
    expect(quotable(bytes([0]))).toBe(false);
  });
});
