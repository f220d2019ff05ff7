import { describe, expect, it } from 'vitest';

import { bytesOf, textOf, untaggedResponses } from './raw-responses.js';

const wire = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('untaggedResponses', () => {
  it('reads names in quoted strings and literals with every byte, NIL delimiters and nested lists', () => {
    const responses = untaggedResponses(
      wire(
        '* LIST (\\HasNoChildren) "." "say \\"hi\\" \\\\"\r\n',
        '* LIST () "." {4}\r\ncaf',
        [0xe9],
        '\r\n',
        '* STATUS {4}\r\ncaf',
        [0xe9],
        ' (MESSAGES 2 UIDNEXT 3)\r\n',
        '* LIST (\\Noselect) NIL ""\r\n',
        'A7 OK LIST completed\r\n',
      ),
    );
    expect(responses.map((r) => textOf(r[0]))).toEqual(['LIST', 'LIST', 'STATUS', 'LIST']);
    expect(bytesOf(responses[0]![3])).toEqual(wire('say "hi" \\'));
    expect(bytesOf(responses[1]![3])).toEqual(wire('caf', [0xe9]));
    expect(responses[2]![2]).toEqual({
      kind: 'list',
      items: ['MESSAGES', '2', 'UIDNEXT', '3'].map((text) => ({ kind: 'atom', text })),
    });
    expect(responses[3]![2]).toEqual({ kind: 'nil' });
  });

  it('keeps 8-bit bytes a sloppy server sends in a quoted string', () => {
    const [list] = untaggedResponses(wire('* LIST () "/" "caf', [0xe8], '"\r\n'));
    expect(bytesOf(list![3])).toEqual(wire('caf', [0xe8]));
  });

  it('leaves out a response cut off by the end of the capture, and lines that are not untagged', () => {
    expect(untaggedResponses(wire('ISTS\r\n* LIST () "." "a"\r\n* LIST () "." {5}\r\nab'))).toEqual([
      [
        { kind: 'atom', text: 'LIST' },
        { kind: 'list', items: [] },
        { kind: 'string', bytes: wire('.') },
        { kind: 'string', bytes: wire('a') },
      ],
    ]);
  });
});
