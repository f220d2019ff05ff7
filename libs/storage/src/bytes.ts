import type { Readable } from 'node:stream';

/** What a put takes: a stream of byte chunks, or a message already whole in memory (one chunk). */
export type BlobSource = Readable | Uint8Array;

/** The chunks of a put's source; a buffer is its own single chunk, with no stream around it. */
export function chunksOf(source: BlobSource): AsyncIterable<unknown> | Iterable<unknown> {
  return source instanceof Uint8Array ? [source] : source;
}

/**
 * A chunk of a put's source as bytes. Strings are refused rather than encoded: a string has already
 * lost the message's original bytes (charset decoding), and archives must keep them exactly.
 */
export function asBytes(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(
    'BlobStore.put needs a byte stream (Buffer or Uint8Array chunks), not strings or objects',
  );
}
