import { describe, expect, it } from 'vitest';

import { encodeString, readCommand, tokenize } from './wire.js';

const wire = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('IMAP fake wire format', () => {
  it('reads a command with a synchronizing literal only once the server has asked for it', () => {
    const command = wire('A1 EXAMINE {4}\r\ncaf', [0xe9], '\r\nA2 NOOP\r\n');
    expect(readCommand(command.subarray(0, 16), 0)).toEqual({ kind: 'continue' });
    expect(readCommand(command.subarray(0, 18), 1)).toEqual({ kind: 'incomplete' });
    const read = readCommand(command, 1);
    expect(read).toMatchObject({ kind: 'command', length: 22 });
    expect(read.kind === 'command' && read.bytes).toEqual(wire('A1 EXAMINE {4}\r\ncaf', [0xe9]));
  });

  it('reads LITERAL+ literals without asking', () => {
    expect(readCommand(wire('A1 STATUS {1+}\r\nx (MESSAGES)\r\n'), 0)).toMatchObject({ kind: 'command' });
  });

  it('splits arguments into atoms, strings (quoted or literal, as bytes) and lists', () => {
    expect(tokenize(wire('LIST "" "*" RETURN (STATUS (MESSAGES UIDNEXT))'))).toEqual([
      { kind: 'atom', text: 'LIST' },
      { kind: 'string', bytes: wire(''), literal: false },
      { kind: 'string', bytes: wire('*'), literal: false },
      { kind: 'atom', text: 'RETURN' },
      {
        kind: 'list',
        items: [
          { kind: 'atom', text: 'STATUS' },
          {
            kind: 'list',
            items: [
              { kind: 'atom', text: 'MESSAGES' },
              { kind: 'atom', text: 'UIDNEXT' },
            ],
          },
        ],
      },
    ]);
    expect(tokenize(wire('SELECT "a \\"b\\" \\\\"'))[1]).toEqual({
      kind: 'string',
      bytes: wire('a "b" \\'),
      literal: false,
    });
    expect(tokenize(wire('FETCH 1:* (UID BODY.PEEK[]<0.100>)'))[2]).toEqual({
      kind: 'list',
      items: [
        { kind: 'atom', text: 'UID' },
        { kind: 'atom', text: 'BODY.PEEK[]<0.100>' },
      ],
    });
  });

  it('sends 7-bit names quoted and 8-bit names as literals (RFC 3501 §4.3)', () => {
    expect(encodeString(wire('bad&-x& "q"'))).toEqual(wire('"bad&-x& \\"q\\""'));
    expect(encodeString(wire('caf', [0xe9]))).toEqual(wire('{4}\r\ncaf', [0xe9]));
  });
});
