import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';

import { describe, expect, it } from 'vitest';

import { openRawMessage } from './raw-message-stream.js';

/** A `format=raw` body as Gmail writes it (pretty JSON, `raw` between sizeEstimate and historyId), cut into chunks. */
function gmailBody(raw: Buffer, snippet = 'Hello', chunkBytes = 7): Uint8Array[] {
  const json = [
    '{',
    '  "id": "18c2f0a1b2c3d4e5",',
    '  "threadId": "18c2f0a1b2c3d4e5",',
    '  "labelIds": [',
    '    "INBOX",',
    '    "Label_3"',
    '  ],',
    `  "snippet": ${JSON.stringify(snippet)},`,
    `  "sizeEstimate": ${raw.length},`,
    `  "raw": "${raw.toString('base64url')}",`,
    '  "historyId": "4242",',
    '  "internalDate": "1764996000000"',
    '}',
  ].join('\n');
  const bytes = Buffer.from(json);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  return chunks;
}

/** The chunks as a response body delivers them: one at a time, asynchronously. */
async function* asBody(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}

describe('openRawMessage', () => {
  it.each([1, 2, 3, 7, 4096])(
    'decodes raw to the exact bytes whatever the chunking (%i-byte chunks)',
    async (size) => {
      for (const length of [0, 1, 2, 3, 1000, 65_537]) {
        const raw = randomBytes(length);
        const opened = await openRawMessage(asBody(gmailBody(raw, 'x', size)));
        expect(opened.head).toEqual({
          id: '18c2f0a1b2c3d4e5',
          labelIds: ['INBOX', 'Label_3'],
          sizeEstimate: length,
        });
        expect((await buffer(opened.source)).equals(raw)).toBe(true);
      }
    },
  );

  it('finds raw in a chunk far larger than the head limit, and still refuses a head that long', async () => {
    // A transport may hand over the head and megabytes of raw at once: the limit is on where raw
    // starts, not on the size of the chunk it arrives in.
    const raw = randomBytes(1024 * 1024);
    const opened = await openRawMessage(asBody(gmailBody(raw, 'x', 4 * 1024 * 1024)));
    expect((await buffer(opened.source)).equals(raw)).toBe(true);
    const longHead = Buffer.from(
      `{"id": "18c2f0a1b2c3d4e5", "snippet": "${'a'.repeat(300 * 1024)}", "raw": "SGk"}`,
    );
    await expect(openRawMessage(asBody([longHead]))).rejects.toThrow(/no raw field near the start/);
  });

  it('is not fooled by a "raw" key inside the snippet', async () => {
    const raw = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const opened = await openRawMessage(asBody(gmailBody(raw, 'the "raw": "AAAA" field')));
    expect((await buffer(opened.source)).equals(raw)).toBe(true);
  });

  it('fails the source when the body is cut inside raw, and before raw', async () => {
    const chunks = gmailBody(randomBytes(3000), 'x', 100);
    const cut = await openRawMessage(asBody(chunks.slice(0, 20)));
    await expect(buffer(cut.source)).rejects.toThrow(/ended inside the raw field/);
    await expect(openRawMessage(asBody(chunks.slice(0, 1)))).rejects.toThrow(/before the raw field/);
  });

  it('leaves labelIds undefined when they do not come before raw', async () => {
    const body = Buffer.from('{"id":"18c2f0a1b2c3d4e5","raw":"SGk","labelIds":["INBOX"]}');
    const opened = await openRawMessage(asBody([body]));
    expect(opened.head.labelIds).toBeUndefined();
    expect((await buffer(opened.source)).toString()).toBe('Hi');
  });
});
