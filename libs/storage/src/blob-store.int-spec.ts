import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { blobKey } from './blob-address.js';
import type { BlobStore } from './blob-store.js';
import { BlobNotFoundError, InvalidBlobAddressError } from './errors.js';
import { FilesystemBlobStore } from './filesystem/filesystem-blob-store.js';
import { DEFAULT_PART_SIZE, S3BlobStore } from './s3/s3-blob-store.js';
import {
  DRIVER_HARNESSES,
  type DriverHarness,
  filesystemHarness,
  HARNESS_BUCKET,
  s3Harness,
} from './test-support/driver-harness.js';

const MiB = 1024 * 1024;
/** Chunk of the generated streams: 64 KiB, what a socket or file stream typically hands over. */
const GENERATED_CHUNK = 64 * 1024;

// ---- content ------------------------------------------------------------------------------------

const FIXTURES: Record<string, Buffer> = {
  'every byte value': Buffer.from(Array.from({ length: 256 * 4 }, (_, i) => i % 256)),
  '8-bit text': Buffer.from(
    'Subject: caf\xe9 \xfcber\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe \xa4\xff\x80\r\n',
    'latin1',
  ),
  'CRLF line ends': Buffer.from('From: a@example.com\r\nSubject: crlf\r\n\r\nline 1\r\n.\r\n..dot\r\n\r\n'),
  'lone LF line ends': Buffer.from('From: a@example.com\nSubject: lf\n\nline 1\nline 2\rbare CR\n\n'),
  'NUL bytes': Buffer.from('a\0b\0\0c\r\n\0\0\0'),
  'an empty message': Buffer.alloc(0),
};

/** Splits into small uneven chunks, so chunk boundaries fall inside CRLF pairs and multi-byte runs. */
function chunked(bytes: Buffer, size = 7): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return Readable.from(chunks);
}

/**
 * `size` deterministic pseudo-random bytes (xorshift32 from `seed`), generated chunk by chunk and
 * never held whole. With `failAfter`, the stream errors once that many bytes are out.
 */
function generated(size: number, seed: number, failAfter?: number): Readable {
  return Readable.from(
    (function* () {
      let state = seed || 1;
      let sent = 0;
      while (sent < size) {
        if (failAfter !== undefined && sent >= failAfter) throw new Error('source failed mid-way');
        const length = Math.min(GENERATED_CHUNK, size - sent);
        const words = new Uint32Array(Math.ceil(length / 4));
        for (let i = 0; i < words.length; i += 1) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          words[i] = state >>> 0;
        }
        sent += length;
        yield Buffer.from(words.buffer, 0, length);
      }
    })(),
  );
}

async function digest(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

// ---- the contract both drivers keep ----------------------------------------------------------------

describe.each(DRIVER_HARNESSES)('%s blob store', (_driver, startHarness) => {
  let harness: DriverHarness;
  let store: BlobStore;
  beforeAll(async () => {
    harness = await startHarness();
    store = harness.driver;
  });
  afterAll(async () => {
    await harness?.close();
  });

  const keysOf = async (tenantId: string): Promise<string[]> =>
    (await harness.listAll()).filter((key) => key.startsWith(`${tenantId}/`));

  it.each(Object.entries(FIXTURES))('stores %s byte for byte', async (_name, bytes) => {
    const tenantId = randomUUID();
    const result = await store.put(tenantId, chunked(bytes));

    expect(result).toEqual({ sha256: sha256Of(bytes), size: bytes.length, created: true });
    expect((await readAll(await store.get(tenantId, result.sha256))).equals(bytes)).toBe(true);
    // What the backend itself holds, not only what the driver hands back (the s3rver framing trap).
    expect((await harness.rawBytes(blobKey({ tenantId, sha256: result.sha256 }))).equals(bytes)).toBe(true);
    expect(await store.stat(tenantId, result.sha256)).toEqual({ sha256: result.sha256, size: bytes.length });
  });

  it.each(Object.entries(FIXTURES))(
    'stores %s given as a buffer like the same bytes streamed',
    async (_name, bytes) => {
      const tenantId = randomUUID();
      const fromBuffer = await store.put(tenantId, bytes);

      expect(fromBuffer).toEqual({ sha256: sha256Of(bytes), size: bytes.length, created: true });
      expect((await harness.rawBytes(blobKey({ tenantId, sha256: fromBuffer.sha256 }))).equals(bytes)).toBe(
        true,
      );
      // One address whichever way the bytes came: the stream finds the buffer's blob there.
      expect(await store.put(tenantId, chunked(bytes))).toEqual({ ...fromBuffer, created: false });
    },
  );

  it('streams a 20 MB message, larger than one multipart part, and reads it back identical', async () => {
    const size = 20 * 1000 * 1000;
    expect(size).toBeGreaterThan(2 * DEFAULT_PART_SIZE);
    const expected = await digest(generated(size, 20));
    const tenantId = randomUUID();

    const result = await store.put(tenantId, generated(size, 20));

    expect(result).toEqual({ ...expected, created: true });
    expect(await digest(await store.get(tenantId, result.sha256))).toEqual(expected);
    expect(await keysOf(tenantId)).toEqual([blobKey({ tenantId, sha256: expected.sha256 })]);
  });

  it('cuts parts across chunk boundaries: sizes at and around one part, streamed in odd chunks and as one buffer', async () => {
    const tenantId = randomUUID();
    const largest = await readAll(generated(2 * DEFAULT_PART_SIZE + 3, 31));
    for (const size of [DEFAULT_PART_SIZE - 1, DEFAULT_PART_SIZE, DEFAULT_PART_SIZE + 1, largest.length]) {
      const bytes = largest.subarray(0, size);
      const fromChunks = await store.put(tenantId, chunked(bytes, 100_003));
      expect(fromChunks).toEqual({ sha256: sha256Of(bytes), size, created: true });
      expect((await harness.rawBytes(blobKey({ tenantId, sha256: fromChunks.sha256 }))).equals(bytes)).toBe(
        true,
      );
      expect(await store.put(tenantId, bytes)).toEqual({ ...fromChunks, created: false });
    }
    // One buffer larger than two parts, into a tenant that has none of it yet.
    const other = randomUUID();
    const fromBuffer = await store.put(other, largest);
    expect(fromBuffer).toEqual({ sha256: sha256Of(largest), size: largest.length, created: true });
    expect(
      (await harness.rawBytes(blobKey({ tenantId: other, sha256: fromBuffer.sha256 }))).equals(largest),
    ).toBe(true);
  });

  it('writes a blob once: the same content again is not written and reports created: false', async () => {
    const tenantId = randomUUID();
    const bytes = FIXTURES['CRLF line ends']!;

    const first = await store.put(tenantId, chunked(bytes));
    const second = await store.put(tenantId, chunked(bytes, 3));

    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(await keysOf(tenantId)).toEqual([blobKey({ tenantId, sha256: first.sha256 })]);
  });

  it('skips a large blob that is already there and leaves no temporary behind', async () => {
    const tenantId = randomUUID();
    const size = DEFAULT_PART_SIZE + 1;
    const first = await store.put(tenantId, generated(size, 7));
    const second = await store.put(tenantId, generated(size, 7));

    expect(second).toEqual({ ...first, created: false });
    expect((await harness.listAll()).filter((key) => !/^[0-9a-f-]{36}\//.test(key))).toEqual([]);
  });

  it('keeps tenants apart: the same content in two tenants is two blobs', async () => {
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const bytes = FIXTURES['every byte value']!;

    const a = await store.put(tenantA, chunked(bytes));
    const b = await store.put(tenantB, chunked(bytes));

    expect([a.created, b.created]).toEqual([true, true]);
    expect(await keysOf(tenantA)).toEqual([blobKey({ tenantId: tenantA, sha256: a.sha256 })]);
    expect(await keysOf(tenantB)).toEqual([blobKey({ tenantId: tenantB, sha256: b.sha256 })]);
    await store.put(tenantA, chunked(FIXTURES['NUL bytes']!));
    await expect(store.get(tenantB, sha256Of(FIXTURES['NUL bytes']!))).rejects.toBeInstanceOf(
      BlobNotFoundError,
    );
  });

  it('lays blobs out as <tenantId>/blobs/sha256/<h[0:2]>/<h[2:4]>/<h> (A1)', async () => {
    const tenantId = randomUUID();
    const { sha256 } = await store.put(tenantId, chunked(FIXTURES['8-bit text']!));
    expect(await keysOf(tenantId)).toEqual([
      `${tenantId}/blobs/sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`,
    ]);
  });

  it('survives concurrent puts of the same content: one blob, intact', async () => {
    const tenantId = randomUUID();
    const size = 12 * MiB;
    const expected = await digest(generated(size, 12));

    const results = await Promise.all([
      store.put(tenantId, generated(size, 12)),
      store.put(tenantId, generated(size, 12)),
    ]);

    for (const result of results) expect(result).toMatchObject(expected);
    expect(await keysOf(tenantId)).toEqual([blobKey({ tenantId, sha256: expected.sha256 })]);
    expect(await digest(await store.get(tenantId, expected.sha256))).toEqual(expected);
  });

  it.each([
    ['a small message', 100 * 1024, 50 * 1024],
    ['a message past its first multipart part', 20 * MiB, 10 * MiB],
  ])(
    'rejects when the source of %s errors mid-way, leaving nothing behind',
    async (_what, size, failAfter) => {
      const tenantId = randomUUID();
      const before = await harness.listAll();

      await expect(store.put(tenantId, generated(size, 3, failAfter))).rejects.toThrow(
        'source failed mid-way',
      );

      expect(await harness.listAll()).toEqual(before);
    },
  );

  it('rejects a stream of strings instead of re-encoding them', async () => {
    await expect(store.put(randomUUID(), Readable.from(['Subject: text\r\n']))).rejects.toThrow(TypeError);
  });

  it('answers a missing blob with NOT_FOUND on get and undefined on stat', async () => {
    const tenantId = randomUUID();
    const missing = sha256Of(Buffer.from('never stored'));
    await expect(store.get(tenantId, missing)).rejects.toMatchObject({ code: 'NOT_FOUND', sha256: missing });
    await expect(store.get(tenantId, missing)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.stat(tenantId, missing)).toBeUndefined();
  });

  it('accepts upper-case spellings of a tenant id and hash as the same blob', async () => {
    const tenantId = randomUUID();
    const bytes = FIXTURES['NUL bytes']!;
    const { sha256 } = await store.put(tenantId.toUpperCase(), chunked(bytes));
    expect((await readAll(await store.get(tenantId, sha256.toUpperCase()))).equals(bytes)).toBe(true);
  });

  it.each([
    ['a tenant id that is not a UUID', '../other-tenant', 'ab'.repeat(32)],
    ['a hash with a path in it', randomUUID(), `../../${'ab'.repeat(29)}`],
    ['a hash that is not hex', randomUUID(), 'x'.repeat(64)],
  ])('refuses %s before touching the backend', async (_what, tenantId, sha256) => {
    await expect(store.get(tenantId, sha256)).rejects.toBeInstanceOf(InvalidBlobAddressError);
    await expect(store.stat(tenantId, sha256)).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('refuses to put under an invalid tenant id', async () => {
    await expect(store.put('tenant/../x', chunked(Buffer.from('x')))).rejects.toBeInstanceOf(
      InvalidBlobAddressError,
    );
  });

  it('is ready', async () => {
    await expect(store.check()).resolves.toBeUndefined();
  });
});

// ---- driver specifics -----------------------------------------------------------------------------

describe('filesystem blob store', () => {
  let harness: Awaited<ReturnType<typeof filesystemHarness>>;
  beforeAll(async () => {
    harness = await filesystemHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('keeps blobs private to the service user (0600)', async () => {
    const tenantId = randomUUID();
    const { sha256 } = await harness.driver.put(tenantId, chunked(Buffer.from('private')));
    const info = await stat(join(harness.root, blobKey({ tenantId, sha256 })));
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('sweeps temporary files a dead process left an hour ago, and no younger ones', async () => {
    const tmp = join(harness.root, 'tmp');
    await harness.driver.check();
    const stale = join(tmp, 'stale.part');
    const fresh = join(tmp, 'fresh.part');
    await writeFile(stale, 'half a message');
    await writeFile(fresh, 'being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);

    // A new process on the same directory sweeps on its first use.
    await new FilesystemBlobStore({ root: harness.root }).check();

    expect((await readdir(tmp)).sort()).toEqual(['fresh.part']);
  });

  it('creates a blob directory again when it was removed behind its back after a first put', async () => {
    const tenantId = randomUUID();
    const first = await harness.driver.put(tenantId, chunked(Buffer.from('first in its directory')));
    const temporaries = await readdir(join(harness.root, 'tmp'));
    // Every blob of a tenant lives below this; the store remembers its directories were made.
    await rm(join(harness.root, tenantId), { recursive: true, force: true });

    const again = await harness.driver.put(tenantId, chunked(Buffer.from('first in its directory')));

    expect(again).toEqual({ ...first, created: true });
    expect(await readFile(join(harness.root, blobKey({ tenantId, sha256: again.sha256 })), 'utf8')).toBe(
      'first in its directory',
    );
    expect(await readdir(join(harness.root, 'tmp'))).toEqual(temporaries);
  });

  it('refuses a root it cannot write', async () => {
    const file = join(harness.root, 'a-file');
    await writeFile(file, '');
    await expect(new FilesystemBlobStore({ root: join(file, 'blobs') }).check()).rejects.toThrow();
  });
});

describe('s3 blob store', () => {
  let harness: Awaited<ReturnType<typeof s3Harness>>;
  beforeAll(async () => {
    harness = await s3Harness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('creates its bucket when missing', async () => {
    const bucket = `fresh-${randomUUID().slice(0, 8)}`;
    const store = new S3BlobStore({
      endpoint: harness.s3.endpoint,
      accessKey: harness.s3.accessKey,
      secretKey: harness.s3.secretKey,
      bucket,
      region: 'us-east-1',
    });
    expect(await harness.client.bucketExists(bucket)).toBe(false);

    const { sha256 } = await store.put(randomUUID(), chunked(FIXTURES['every byte value']!));

    expect(await harness.client.bucketExists(bucket)).toBe(true);
    expect(sha256).toBe(sha256Of(FIXTURES['every byte value']!));
  });

  it('lets several processes create the missing bucket at the same moment (workers starting together)', async () => {
    const bucket = `race-${randomUUID().slice(0, 8)}`;
    const stores = Array.from(
      { length: 4 },
      () =>
        new S3BlobStore({
          endpoint: harness.s3.endpoint,
          accessKey: harness.s3.accessKey,
          secretKey: harness.s3.secretKey,
          bucket,
          region: 'us-east-1',
        }),
    );
    const puts = await Promise.allSettled(
      stores.map((store) => store.put(randomUUID(), chunked(FIXTURES['every byte value']!))),
    );
    expect(puts.map((put) => put.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await harness.client.bucketExists(bucket)).toBe(true);
  });

  it('stores each blob as message/rfc822', async () => {
    const tenantId = randomUUID();
    const { sha256 } = await harness.driver.put(tenantId, generated(DEFAULT_PART_SIZE + 10, 9));
    const info = await harness.client.statObject(HARNESS_BUCKET, blobKey({ tenantId, sha256 }));
    expect(info.metaData['content-type']).toBe('message/rfc822');
  });

  it('gives up on a server that accepts the connection but never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const store = new S3BlobStore({
        endpoint: `http://127.0.0.1:${port}`,
        accessKey: 'a',
        secretKey: 's',
        bucket: HARNESS_BUCKET,
        region: 'us-east-1',
        idleTimeoutMs: 200,
      });
      await expect(store.check()).rejects.toThrow(/idle for 200 ms/);
    } finally {
      silent.close();
    }
  });

  it('is not ready when the endpoint does not answer', async () => {
    const store = new S3BlobStore({
      endpoint: 'http://127.0.0.1:1',
      accessKey: 'a',
      secretKey: 's',
      bucket: HARNESS_BUCKET,
      region: 'us-east-1',
    });
    await expect(store.check()).rejects.toThrow();
  });
});
