import { describe, expect, it } from 'vitest';

import { encodeModifiedUtf7 } from './modified-utf7.js';

describe('encodeModifiedUtf7', () => {
  it('encodes the examples of RFC 3501 §5.1.3', () => {
    expect(encodeModifiedUtf7('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
  });

  it('escapes & and leaves the rest of printable ASCII alone', () => {
    expect(encodeModifiedUtf7('Tom & Jerry')).toBe('Tom &- Jerry');
    expect(encodeModifiedUtf7(' !"#$%\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~')).toBe(
      ' !"#$%\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~',
    );
  });

  it('encodes each run of other characters on its own, with , instead of / and no padding', () => {
    expect(encodeModifiedUtf7('Ärger & Co/Unter')).toBe('&AMQ-rger &- Co/Unter');
    // U+FFFF is 0xFF 0xFF: base64 "//8=", i.e. ",,8" once modified.
    expect(encodeModifiedUtf7('a\uffffb')).toBe('a&,,8-b');
    // Control characters are not printable: encoded like any other.
    expect(encodeModifiedUtf7('tab\there')).toBe('tab&AAk-here');
  });

  it('encodes characters outside the BMP as their surrogate pair', () => {
    expect(encodeModifiedUtf7('📁')).toBe('&2D3cwQ-');
  });
});
