import { describe, expect, it } from 'vitest';

import { inputErrors, MAX_INPUT_DEPTH } from './input-guard.pipe.js';

/** JSON nested `depth` levels deep, as an attacker would send it: `{"a":{"a":…}}`. */
function nested(depth: number): unknown {
  return JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

describe('inputErrors', () => {
  it('accepts ordinary input', () => {
    expect(inputErrors({ name: 'Sales', folders: { include: ['INBOX/Ärger'], exclude: [] } })).toEqual([]);
    expect(inputErrors(nested(MAX_INPUT_DEPTH - 1))).toEqual([]);
  });

  it('refuses nesting past the limit, even 5,000 deep, without recursing', () => {
    expect(inputErrors(nested(5_000))).toEqual([
      {
        field: `${'a.'.repeat(MAX_INPUT_DEPTH - 1)}a`,
        message: `is nested more than ${MAX_INPUT_DEPTH} levels deep`,
      },
    ]);
    expect(inputErrors(JSON.parse(`${'['.repeat(5_000)}${']'.repeat(5_000)}`))).toHaveLength(1);
  });

  it('refuses prototype keys wherever they are', () => {
    expect(inputErrors(JSON.parse('{"__proto__":{"x":1}}'))).toEqual([
      { field: '__proto__', message: 'is not an allowed property name' },
    ]);
    expect(inputErrors(JSON.parse('{"folders":{"constructor":{"name":"x"}}}'))).toEqual([
      { field: 'folders.constructor', message: 'is not an allowed property name' },
    ]);
    expect(inputErrors(JSON.parse('{"items":[{"prototype":1}]}'))).toEqual([
      { field: 'items[0].prototype', message: 'is not an allowed property name' },
    ]);
  });

  it('refuses NUL characters in values and keys, naming the field', () => {
    expect(inputErrors({ name: 'a\u0000b' })).toEqual([
      { field: 'name', message: 'must not contain a NUL character' },
    ]);
    expect(inputErrors({ 'a\u0000': 1 })).toEqual([
      { field: 'a\\0', message: 'is not an allowed property name' },
    ]);
    expect(inputErrors('a\u0000b', 'id')).toEqual([
      { field: 'id', message: 'must not contain a NUL character' },
    ]);
    expect(inputErrors({ q: 'a\u0000b' })).toEqual([
      { field: 'q', message: 'must not contain a NUL character' },
    ]);
  });
});
