import { MaxLength, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';

import { codePointLength, MaxChars } from './max-chars.js';

class Named {
  @MaxChars(4)
  name!: string;
}
class NamedByClassValidator {
  @MaxLength(4)
  name!: string;
}

function errorsOf<T extends object>(target: new () => T, name: string): number {
  return validateSync(Object.assign(new target(), { name })).length;
}

describe('MaxChars', () => {
  it('counts code points as PostgreSQL does, where MaxLength counts fewer', () => {
    const flag = '🏳️‍🌈'; // U+1F3F3 U+FE0F U+200D U+1F308
    expect(codePointLength(flag)).toBe(4);
    expect(codePointLength(`📬${flag}`)).toBe(5);
    expect(errorsOf(NamedByClassValidator, `📬${flag}`)).toBe(0);
    expect(errorsOf(Named, `📬${flag}`)).toBe(1);
    expect(errorsOf(Named, flag)).toBe(0);
    expect(errorsOf(Named, 'abcd')).toBe(0);
    expect(errorsOf(Named, 'abcde')).toBe(1);
  });
});
