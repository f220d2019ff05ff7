/**
 * Peak memory of one filesystem-driver put and get of a 150 MB message (SPEC C3: a 150 MB message
 * must not need 150 MB of heap). Not a timed test: run after a build with
 *
 *   flock /tmp/mailkeep-build.lock npm run build && npx node bench/storage-memory.ts
 *
 * (`npx node bench/storage-memory.ts 600` for 600 MB) and it prints the peak growth of RSS, heap and array buffers over the baseline as JSON.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { FilesystemBlobStore } from '@mailkeep/storage';

/** The message size SPEC C3 names; another size in MB as the first argument shows the peak does not grow with it. */
const MESSAGE_BYTES = Number(process.argv[2] ?? 150) * 1000 * 1000;
/** Chunk of the generated source: 64 KiB, what a TLS socket or file stream hands over. */
const CHUNK_BYTES = 64 * 1024;
/** Memory sampling period: 5 ms catches short peaks without slowing the put noticeably. */
const SAMPLE_EVERY_MS = 5;
const MiB = 1024 * 1024;

/** Deterministic pseudo-random bytes (xorshift32), produced on demand and never held whole. */
function generated(size: number): Readable {
  return Readable.from(
    (function* () {
      let state = 0x9e3779b9;
      for (let sent = 0; sent < size; sent += CHUNK_BYTES) {
        const length = Math.min(CHUNK_BYTES, size - sent);
        const words = new Uint32Array(Math.ceil(length / 4));
        for (let i = 0; i < words.length; i += 1) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          words[i] = state >>> 0;
        }
        yield Buffer.from(words.buffer, 0, length);
      }
    })(),
  );
}

async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; rss: number; heap: number; arrayBuffers: number; ms: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, heap: base.heapUsed, arrayBuffers: base.arrayBuffers };
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heap = Math.max(peak.heap, now.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
  }, SAMPLE_EVERY_MS);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      ms: Math.round(performance.now() - started),
      rss: (peak.rss - base.rss) / MiB,
      heap: (peak.heap - base.heapUsed) / MiB,
      arrayBuffers: (peak.arrayBuffers - base.arrayBuffers) / MiB,
    };
  } finally {
    clearInterval(sampler);
  }
}

const root = await mkdtemp(join(tmpdir(), 'mailkeep-bench-blobs-'));
try {
  const store = new FilesystemBlobStore({ root });
  const tenantId = randomUUID();
  // Warm-up: load the modules and create the directories before the baseline is taken.
  await store.put(tenantId, Readable.from([Buffer.from('warm-up')]));

  const put = await measure(() => store.put(tenantId, generated(MESSAGE_BYTES)));
  const get = await measure(async () => {
    const hash = createHash('sha256');
    for await (const chunk of await store.get(tenantId, put.result.sha256)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  });
  const round = (n: number): number => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify(
      {
        node: process.version,
        messageMB: MESSAGE_BYTES / 1e6,
        put: {
          ms: put.ms,
          peakRssGrowthMiB: round(put.rss),
          peakHeapGrowthMiB: round(put.heap),
          peakArrayBuffersGrowthMiB: round(put.arrayBuffers),
        },
        get: {
          ms: get.ms,
          peakRssGrowthMiB: round(get.rss),
          peakHeapGrowthMiB: round(get.heap),
          identical: get.result === put.result.sha256,
        },
        finalRssMiB: round(process.memoryUsage().rss / MiB),
      },
      null,
      2,
    ),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
