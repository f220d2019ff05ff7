import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { blobKey, type BlobLocation, segmentKey } from '../blob-address.js';
import type { BlobDriver } from '../blob-store.js';
import { BlobNotFoundError, InvalidBlobAddressError, SegmentNotFoundError } from '../errors.js';
import { DRIVER_HARNESSES, type DriverHarness } from '../test-support/driver-harness.js';
import { decodeSegmentIndex, verifySegment } from './segment-format.js';
import { SegmentedBlobStore } from './segmented-blob-store.js';

const KiB = 1024;

/** Realistic small messages: headers, CRLF, 8-bit bytes, NUL, a few KB of body, all distinct. */
function message(n: number, bodyBytes = 2 * KiB): Buffer {
  const body = Buffer.alloc(bodyBytes);
  for (let i = 0; i < bodyBytes; i += 1) body[i] = (i * 31 + n * 7) % 256;
  return Buffer.concat([
    Buffer.from(
      `From: sender${n}@example.com\r\nTo: team@example.org\r\nSubject: caf\xe9 ${n}\r\n` +
        `Message-ID: <${n}@example.com>\r\n\r\n`,
      'latin1',
    ),
    body,
  ]);
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function chunked(bytes: Buffer, size = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return Readable.from(chunks);
}

/** A driver whose segment writes wait for `release()`: what the store does before durability. */
function gated(driver: BlobDriver): { driver: BlobDriver; release(): void; writes: () => number } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let writes = 0;
  return {
    driver: Object.assign(Object.create(driver) as BlobDriver, {
      writeSegment: async (tenantId: string, segmentId: string, chunks: readonly Buffer[]) => {
        writes += 1;
        await gate;
        return driver.writeSegment(tenantId, segmentId, chunks);
      },
    }),
    release: () => open(),
    writes: () => writes,
  };
}

const SETTINGS = { thresholdBytes: 64 * KiB, maxBytes: 1024 * KiB, maxAgeMs: 1_000, lingerMs: 2 };

describe.each(DRIVER_HARNESSES)('segments on the %s driver', (_driver, startHarness) => {
  let harness: DriverHarness;
  let store: SegmentedBlobStore;
  beforeAll(async () => {
    harness = await startHarness();
    store = new SegmentedBlobStore(harness.driver, SETTINGS);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const keysOf = async (tenantId: string) =>
    (await harness.listAll()).filter((key) => key.startsWith(`${tenantId}/`));

  it('group-commits messages stored together into one segment and reads each back byte for byte', async () => {
    const tenantId = randomUUID();
    const messages = Array.from({ length: 40 }, (_, n) => message(n));
    messages.push(Buffer.alloc(0), Buffer.from('a\0b\r\n.\r\n\n\rlone CR', 'latin1'));

    const results = await Promise.all(messages.map((bytes) => store.put(tenantId, bytes)));

    const segments = new Set(results.map((result) => result.location?.segmentId));
    expect(segments.size).toBe(1);
    const [segmentId] = [...segments] as [string];
    expect(await keysOf(tenantId)).toEqual([segmentKey(tenantId, segmentId)]);
    const segment = await harness.rawBytes(segmentKey(tenantId, segmentId));
    for (const [n, bytes] of messages.entries()) {
      const result = results[n]!;
      expect(result).toMatchObject({ sha256: sha256Of(bytes), size: bytes.length, created: true });
      const location = result.location!;
      // Through the driver (a range read on S3) and in the backend's own bytes.
      expect((await readAll(await store.get(tenantId, result.sha256, location))).equals(bytes)).toBe(true);
      expect(segment.subarray(location.offset, location.offset + location.size).equals(bytes)).toBe(true);
      expect(await store.stat(tenantId, result.sha256, location)).toEqual({
        sha256: result.sha256,
        size: bytes.length,
      });
    }
    // The segment describes itself: its index lists every message where the puts said.
    expect(decodeSegmentIndex(segment)?.messages).toEqual(
      results.map((result) => ({
        sha256: result.sha256,
        offset: result.location!.offset,
        size: result.size,
      })),
    );
    expect(verifySegment(segment)).toMatchObject({ checksumValid: true, damaged: [] });
  });

  it('resolves a put only once its segment is durable, with one write for all of them', async () => {
    const tenantId = randomUUID();
    const gate = gated(harness.driver);
    const gatedStore = new SegmentedBlobStore(gate.driver, SETTINGS);
    let resolved = 0;
    const puts = Array.from({ length: 10 }, (_, n) =>
      gatedStore.put(tenantId, message(100 + n)).then((result) => {
        resolved += 1;
        return result;
      }),
    );
    await waitUntil(() => gate.writes() === 1);

    expect(resolved).toBe(0);
    expect(await keysOf(tenantId)).toEqual([]);
    expect(gatedStore.heldBytes).toBeGreaterThan(10 * 2 * KiB);

    gate.release();
    const results = await Promise.all(puts);
    expect(gate.writes()).toBe(1);
    expect(await keysOf(tenantId)).toHaveLength(1);
    expect(new Set(results.map((result) => result.location?.segmentId)).size).toBe(1);
    expect(gatedStore.heldBytes).toBe(0);
  });

  it('keeps messages at or above the threshold as single objects at their content address', async () => {
    const tenantId = randomUUID();
    const atThreshold = message(7, SETTINGS.thresholdBytes).subarray(0, SETTINGS.thresholdBytes);
    const large = message(8, 300 * KiB);

    const fromBuffer = await store.put(tenantId, atThreshold);
    const fromStream = await store.put(tenantId, chunked(large, 16 * KiB));

    expect(fromBuffer).toEqual({ sha256: sha256Of(atThreshold), size: atThreshold.length, created: true });
    expect(fromStream).toEqual({ sha256: sha256Of(large), size: large.length, created: true });
    expect(await keysOf(tenantId)).toEqual(
      [
        blobKey({ tenantId, sha256: fromBuffer.sha256 }),
        blobKey({ tenantId, sha256: fromStream.sha256 }),
      ].sort(),
    );
    expect((await harness.rawBytes(blobKey({ tenantId, sha256: fromStream.sha256 }))).equals(large)).toBe(
      true,
    );
    expect((await readAll(await store.get(tenantId, fromStream.sha256))).equals(large)).toBe(true);
  });

  it('puts a small streamed message into a segment like the same bytes given whole', async () => {
    const tenantId = randomUUID();
    const bytes = message(9, 20 * KiB);
    const result = await store.put(tenantId, chunked(bytes, 777));
    expect(result).toMatchObject({ sha256: sha256Of(bytes), size: bytes.length, created: true });
    expect((await readAll(await store.get(tenantId, result.sha256, result.location))).equals(bytes)).toBe(
      true,
    );
  });

  it('stores the same content once per tenant: in one segment, and again after it is sealed', async () => {
    const tenantId = randomUUID();
    const bytes = message(10);
    const [first, second] = await Promise.all([store.put(tenantId, bytes), store.put(tenantId, bytes)]);
    const third = await store.put(tenantId, bytes);

    expect([first.created, second.created, third.created]).toEqual([true, false, false]);
    expect(second.location).toEqual(first.location);
    expect(third.location).toEqual(first.location);
    const segment = await harness.rawBytes(segmentKey(tenantId, first.location!.segmentId));
    expect(decodeSegmentIndex(segment)?.messages).toHaveLength(1);
    // Another tenant with the same content gets its own copy.
    const other = randomUUID();
    expect(await store.put(other, bytes)).toMatchObject({ created: true });
    expect(await keysOf(other)).toHaveLength(1);
  });

  it('seals a segment when it is full and starts the next one', async () => {
    const tenantId = randomUUID();
    const small = new SegmentedBlobStore(harness.driver, { ...SETTINGS, maxBytes: 100 * KiB });
    const messages = Array.from({ length: 30 }, (_, n) => message(200 + n, 10 * KiB));
    const results = await Promise.all(messages.map((bytes) => small.put(tenantId, bytes)));
    const segments = new Set(results.map((result) => result.location!.segmentId));
    expect(segments.size).toBeGreaterThanOrEqual(3);
    for (const [n, result] of results.entries()) {
      expect(
        (await readAll(await small.get(tenantId, result.sha256, result.location))).equals(messages[n]!),
      ).toBe(true);
    }
  });

  it('fails every put of a segment that could not be written, and leaves nothing behind', async () => {
    const tenantId = randomUUID();
    const failing = Object.assign(Object.create(harness.driver) as BlobDriver, {
      writeSegment: () => Promise.reject(new Error('disk full')),
    });
    const failingStore = new SegmentedBlobStore(failing, SETTINGS);
    const puts = await Promise.allSettled([1, 2, 3].map((n) => failingStore.put(tenantId, message(300 + n))));
    expect(puts.map((put) => put.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await keysOf(tenantId)).toEqual([]);
    expect(failingStore.heldBytes).toBe(0);
  });

  it('names exactly the damaged messages of a damaged segment', async () => {
    const tenantId = randomUUID();
    const messages = Array.from({ length: 5 }, (_, n) => message(400 + n));
    const results = await Promise.all(messages.map((bytes) => store.put(tenantId, bytes)));
    const { segmentId } = results[0]!.location!;
    const key = segmentKey(tenantId, segmentId);
    const segment = Buffer.from(await harness.rawBytes(key));
    const hurt = results[3]!.location!;
    segment[hurt.offset + 10] = segment[hurt.offset + 10]! ^ 0xff;
    await harness.damage(key, segment);

    const verification = verifySegment(await harness.driver.readSegment(tenantId, segmentId));

    expect(verification.checksumValid).toBe(false);
    expect(verification.damaged).toEqual([
      { sha256: results[3]!.sha256, offset: hurt.offset, size: hurt.size },
    ]);
    const readBack = await readAll(await store.get(tenantId, results[3]!.sha256, hurt));
    expect(sha256Of(readBack)).not.toBe(results[3]!.sha256);
    expect(
      (await readAll(await store.get(tenantId, results[2]!.sha256, results[2]!.location))).equals(
        messages[2]!,
      ),
    ).toBe(true);
  });

  it('answers a missing segment with NOT_FOUND, and refuses a location that cannot be one', async () => {
    const tenantId = randomUUID();
    const sha256 = sha256Of(Buffer.from('never stored'));
    const missing: BlobLocation = { segmentId: randomUUID(), offset: 0, size: 10 };
    await expect(store.get(tenantId, sha256, missing)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.stat(tenantId, sha256, missing)).toBeUndefined();
    await expect(harness.driver.readSegment(tenantId, missing.segmentId)).rejects.toBeInstanceOf(
      SegmentNotFoundError,
    );
    for (const bad of [
      { segmentId: '../../etc', offset: 0, size: 1 },
      { segmentId: randomUUID(), offset: -1, size: 1 },
      { segmentId: randomUUID(), offset: 0, size: 1.5 },
    ]) {
      await expect(store.get(tenantId, sha256, bad)).rejects.toBeInstanceOf(InvalidBlobAddressError);
    }
  });

  it('reports a range past the end of its segment as missing', async () => {
    const tenantId = randomUUID();
    const result = await store.put(tenantId, message(500));
    const beyond = { ...result.location!, offset: result.location!.offset + 1_000_000 };
    expect(await store.stat(tenantId, result.sha256, beyond)).toBeUndefined();
  });
});

async function waitUntil(condition: () => boolean, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
