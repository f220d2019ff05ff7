import { describe, expect, it } from 'vitest';

import { isEntraGuid } from './entra-guid.js';

describe('isEntraGuid', () => {
  it('accepts GUIDs as Entra issues them, RFC 4122 or not, in either case', () => {
    expect(isEntraGuid('9a0c0305-e82c-4f89-11d3-3f2504e04f89')).toBe(true);
    expect(isEntraGuid('72F988BF-86F1-41AF-91AB-2D7CD011DB47')).toBe(true);
    expect(isEntraGuid('00000003-0000-0000-c000-000000000000')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const value of [
      '{9a0c0305-e82c-4f89-11d3-3f2504e04f89}',
      '9a0c0305e82c4f8911d33f2504e04f89',
      '9a0c0305-e82c-4f89-11d3-3f2504e04f8',
      'contoso.onmicrosoft.com',
      '',
      42,
      null,
    ]) {
      expect(isEntraGuid(value)).toBe(false);
    }
  });
});
