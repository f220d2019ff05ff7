import { describe, expect, it } from 'vitest';

import { storableText } from './storable-text.js';

describe('storableText', () => {
  it('keeps ordinary values as they are', () => {
    expect(storableText('9a0c0305-e82c-4f89-11d3-3f2504e04f89', 200)).toBe(
      '9a0c0305-e82c-4f89-11d3-3f2504e04f89',
    );
    expect(storableText('Ärger & Co', 200)).toBe('Ärger & Co');
  });

  it('writes control characters as escapes (PostgreSQL refuses a NUL in text)', () => {
    expect(storableText('a\u0000b\nc', 200)).toBe('a\\u0000b\\u000ac');
  });

  it('shortens long values to the limit, distinctly', () => {
    const a = storableText(`${'x'.repeat(4_999)}a`, 200);
    const b = storableText(`${'x'.repeat(4_999)}b`, 200);
    expect(a).toHaveLength(200);
    expect(a).not.toBe(b);
    expect(a.startsWith('x'.repeat(183))).toBe(true);
  });
});
