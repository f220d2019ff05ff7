import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { describe, expect, it } from 'vitest';

import { MultilineDecoder, MultilineReader } from './multiline-reader.js';

const TERMINATOR = Buffer.from('.\r\n');

/** What a server sends for `content` (which ends with CRLF): dot-stuffed lines, then `.` CRLF. */
function onTheWire(content: Buffer): Buffer {
  const out: number[] = [];
  let lineStart = true;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i] as number;
    if (lineStart && byte === 0x2e) out.push(0x2e);
    out.push(byte);
    lineStart = byte === 0x0a && content[i - 1] === 0x0d;
  }
  return Buffer.concat([Buffer.from(out), TERMINATOR]);
}

/** Feeds the chunks to a fresh decoder; returns the content and what followed the terminator. */
function decode(chunks: readonly Buffer[]): { content: Buffer; rest: Buffer | undefined } {
  const decoder = new MultilineDecoder();
  const out: Buffer[] = [];
  let rest: Buffer | undefined;
  for (const chunk of chunks) {
    const after = decoder.decode(chunk, (part) => out.push(Buffer.from(part)));
    if (after !== undefined) rest = Buffer.concat([rest ?? Buffer.alloc(0), after]);
  }
  return { content: Buffer.concat(out), rest };
}

function splitAt(wire: Buffer, ...positions: number[]): Buffer[] {
  const cuts = [0, ...positions, wire.length];
  return cuts.slice(1).map((end, i) => wire.subarray(cuts[i], end));
}

const DOTTY = Buffer.from(
  'Subject: dots\r\n\r\n.leading dot\r\n.\r\n..two dots\r\n...\r\nmiddle . dot\r\n.\r\nlast\r\n',
  'latin1',
);

describe('MultilineDecoder', () => {
  it('undoes dot-stuffing and keeps the final CRLF of the content', () => {
    const wire = onTheWire(DOTTY);
    expect(wire.toString('latin1')).toContain('\r\n..leading dot\r\n..\r\n...two dots\r\n');
    const { content, rest } = decode([wire]);
    expect(content.equals(DOTTY)).toBe(true);
    expect(content.subarray(-2).toString('latin1')).toBe('\r\n');
    expect(rest?.length).toBe(0);
  });

  it('finds the terminator and undoes stuffing wherever one split cuts the response', () => {
    const wire = onTheWire(DOTTY);
    for (let cut = 0; cut <= wire.length; cut++) {
      const { content, rest } = decode(splitAt(wire, cut));
      expect(content.toString('latin1'), `cut at ${cut}`).toBe(DOTTY.toString('latin1'));
      expect(rest?.length, `cut at ${cut}`).toBe(0);
    }
  });

  it('splits the terminator itself at every byte position, also across three chunks', () => {
    const body = Buffer.from('a\r\nb\r\n');
    const wire = onTheWire(body); // ends with CRLF . CRLF
    const start = wire.length - 5;
    for (let a = start; a <= wire.length; a++) {
      for (let b = a; b <= wire.length; b++) {
        const { content, rest } = decode(splitAt(wire, a, b));
        expect(content.toString('latin1'), `cuts ${a}, ${b}`).toBe('a\r\nb\r\n');
        expect(rest?.length, `cuts ${a}, ${b}`).toBe(0);
      }
    }
  });

  it('decodes byte by byte', () => {
    const wire = onTheWire(DOTTY);
    const { content } = decode([...wire].map((byte) => Buffer.from([byte])));
    expect(content.equals(DOTTY)).toBe(true);
  });

  it('does not end before the terminator: without it the response is still open', () => {
    const wire = onTheWire(DOTTY);
    const { rest } = decode([wire.subarray(0, -1)]);
    expect(rest).toBeUndefined();
  });

  it('reads an empty response', () => {
    expect(decode([Buffer.from('.\r\n')])).toEqual({ content: Buffer.alloc(0), rest: Buffer.alloc(0) });
  });

  it('hands back what follows the terminator (the next response)', () => {
    const { content, rest } = decode([Buffer.from('x\r\n.\r'), Buffer.from('\n+OK next\r\n')]);
    expect(content.toString()).toBe('x\r\n');
    expect(rest?.toString()).toBe('+OK next\r\n');
  });

  it('treats a lone LF as content: a dot after it is neither stuffing nor the terminator', () => {
    const body = Buffer.from('one\n.two\n.\nthree\r\n');
    const wire = onTheWire(body);
    expect(wire.toString()).toBe('one\n.two\n.\nthree\r\n.\r\n'); // nothing to stuff: no CRLF before the dots
    for (let cut = 0; cut <= wire.length; cut++) {
      expect(decode(splitAt(wire, cut)).content.toString(), `cut at ${cut}`).toBe(body.toString());
    }
  });

  it('treats a lone CR as content, also right after a stuffing dot', () => {
    // ".\rX" is a line that starts with a dot followed by octets other than CRLF: the dot goes.
    const { content } = decode([Buffer.from('a\rb\r\n.\rX\r\n..\r\r\n.\r\n')]);
    expect(content.toString('latin1')).toBe('a\rb\r\n\rX\r\n.\r\r\n');
  });

  it('round-trips random binary content under random chunking', () => {
    let seed = 42;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    // Bytes drawn mostly from CR, LF and dot, so every state meets every byte.
    const alphabet = [0x0d, 0x0a, 0x2e, 0x2e, 0x41, 0x00, 0xff];
    for (let round = 0; round < 300; round++) {
      const length = Math.floor(random() * 200);
      const bytes = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)] as number);
      const content = Buffer.concat([Buffer.from(bytes), Buffer.from('\r\n')]);
      const wire = onTheWire(content);
      const cuts: number[] = [];
      for (let at = 0; at < wire.length; at += 1 + Math.floor(random() * 8)) cuts.push(at);
      const { content: decoded, rest } = decode(splitAt(wire, ...cuts));
      expect(decoded.equals(content), `round ${round}: ${content.toString('hex')}`).toBe(true);
      expect(rest?.length).toBe(0);
    }
  });
});

describe('MultilineReader', () => {
  it('streams the content, ends at the terminator and reports the bytes after it', async () => {
    let after: Buffer | undefined;
    const reader = new MultilineReader('RETR 1', (rest) => (after = rest));
    const out: Buffer[] = [];
    const wire = onTheWire(DOTTY);
    reader.on('data', (chunk: Buffer) => out.push(chunk));
    const ended = new Promise((resolve) => reader.once('end', resolve));
    for (let at = 0; at < wire.length; at += 7) reader.write(wire.subarray(at, at + 7));
    reader.write(Buffer.alloc(0));
    await ended;
    expect(Buffer.concat(out).equals(DOTTY)).toBe(true);
    expect(after?.length).toBe(0);
  });

  it('fails when its input ends before the terminator', async () => {
    const reader = new MultilineReader('RETR 2');
    const source = Readable.from([Buffer.from('partial\r\n')]);
    await expect(
      pipeline(source, reader, async (content: AsyncIterable<Buffer>) => {
        for await (const _ of content) void _;
      }),
    ).rejects.toThrow('The response to RETR 2 ended before its terminating line');
  });
});
