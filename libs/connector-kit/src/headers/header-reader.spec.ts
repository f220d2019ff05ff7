import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { describe, expect, it } from 'vitest';

import { HeaderReader, type HeaderReadResult, readHeaders } from './header-reader.js';

/**
 * Runs `input` through a HeaderReader in chunks of `chunkSize`; returns the headers and the bytes
 * out. Every case also checks that `readHeaders` on the whole buffer reads the same.
 */
async function read(
  input: Buffer | string,
  options: { chunkSize?: number; limit?: number } = {},
): Promise<HeaderReadResult & { output: Buffer }> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const size = options.chunkSize ?? 64 * 1024;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const reader = new HeaderReader(options.limit);
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    reader,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  const result = await reader.result;
  expect(readHeaders(bytes, options.limit)).toEqual(result);
  return { ...result, output: Buffer.concat(out) };
}

const CRLF_MESSAGE = [
  'Received: from a by b',
  'Message-ID: <one@example.com>',
  'Subject: A long',
  '\tfolded subject',
  'From: "Ann" <ann@example.com>',
  'To: bob@example.com,',
  ' carol@example.com',
  'CC: dave@example.com',
  'Date: Tue, 24 Nov 2026 06:00:00 +0000',
  'Subject: second subject is ignored',
  '',
  'Body line',
  'To: not-a-header@example.com',
  '',
].join('\r\n');

describe('HeaderReader', () => {
  it('reads and unfolds the catalog headers of a CRLF message, first occurrence winning', async () => {
    const { headers, truncated, output } = await read(CRLF_MESSAGE);
    expect(truncated).toBe(false);
    expect(headers).toEqual({
      messageId: '<one@example.com>',
      subject: 'A long\tfolded subject',
      from: '"Ann" <ann@example.com>',
      to: 'bob@example.com, carol@example.com',
      cc: 'dave@example.com',
      date: 'Tue, 24 Nov 2026 06:00:00 +0000',
    });
    expect(output.equals(Buffer.from(CRLF_MESSAGE, 'latin1'))).toBe(true);
  });

  it('reads LF-only messages the same, whatever the chunk boundaries (down to one byte)', async () => {
    const lf = CRLF_MESSAGE.replaceAll('\r\n', '\n');
    for (const chunkSize of [1, 2, 3, 7, 1024]) {
      const { headers, output } = await read(lf, { chunkSize });
      expect(headers.subject).toBe('A long\tfolded subject');
      expect(headers.to).toBe('bob@example.com, carol@example.com');
      expect(headers.date).toBe('Tue, 24 Nov 2026 06:00:00 +0000');
      expect(output.equals(Buffer.from(lf, 'latin1'))).toBe(true);
    }
    // CRLF split between chunks too.
    const { headers } = await read(CRLF_MESSAGE, { chunkSize: 1 });
    expect(headers.cc).toBe('dave@example.com');
  });

  it('finds no headers in an empty message or one that starts with an empty line', async () => {
    expect((await read('')).headers).toEqual({});
    const bodyOnly = await read('\r\nSubject: in the body\r\n');
    expect(bodyOnly.headers).toEqual({});
    expect((await read('\nSubject: in the body\n', { chunkSize: 1 })).headers).toEqual({});
  });

  it('reads a message that is all headers (no empty line, no final newline)', async () => {
    expect((await read('Subject: only\r\nFrom: a@b')).headers).toEqual({ subject: 'only', from: 'a@b' });
  });

  it('stops at the limit on a huge header block, keeping complete lines, and passes every byte on', async () => {
    const filler = Array.from({ length: 5_000 }, (_, i) => `X-Filler-${i}: ${'y'.repeat(100)}`).join('\r\n');
    const message = `Subject: early\r\n${filler}\r\nFrom: late@example.com\r\n\r\nbody`;
    const { headers, truncated, output } = await read(message, { limit: 64 * 1024, chunkSize: 4096 });
    expect(truncated).toBe(true);
    expect(headers).toEqual({ subject: 'early' });
    expect(output.length).toBe(Buffer.byteLength(message, 'latin1'));
    expect(output.equals(Buffer.from(message, 'latin1'))).toBe(true);
  });

  it('never alters the body: NUL, lone LF, lone CR, 8-bit bytes and every byte value', async () => {
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const message = Buffer.concat([
      Buffer.from('Subject: =?utf-8?q?caf=C3=A9?=\r\nFrom: a@b\r\n\r\n', 'latin1'),
      Buffer.from('line\nlone LF\rlone CR\0NUL\r\n\xe9t\xe9 8-bit\r\n', 'latin1'),
      allBytes,
      allBytes,
    ]);
    for (const chunkSize of [1, 5, 65_536]) {
      const { headers, output } = await read(message, { chunkSize });
      expect(output.equals(message)).toBe(true);
      expect(headers.subject).toBe('=?utf-8?q?caf=C3=A9?='); // raw: decoding is the catalog's
    }
  });

  it('keeps 8-bit header bytes: UTF-8 when valid, Latin-1 otherwise', async () => {
    expect((await read(Buffer.from('Subject: café\r\n\r\n', 'utf8'))).headers.subject).toBe('café');
    expect((await read(Buffer.from('Subject: caf\xe9\r\n\r\n', 'latin1'))).headers.subject).toBe('café');
  });
});
