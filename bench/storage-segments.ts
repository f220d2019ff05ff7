/**
 * Count-heavy storage alone, segments against one object per message (decision 0020), filesystem
 * and s3rver, in one run: the same 1–8 KB messages put with the same number in flight through
 * each store. Not a timed test: run after a build with
 *
 *   flock /tmp/mailkeep-build.lock npm run build && npx node bench/storage-segments.ts [messages] [in flight]
 *
 * It prints, per variant, messages/s and CPU seconds of this process per 1,000 messages, then the
 * ratios segments / single objects as JSON. The end-to-end comparison
 * (IMAP, catalog, NATS included) is in bench/mailkeep-e2e.ts (`npm run bench`, count-heavy).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import {
  DEFAULT_SEGMENT_LINGER_MS,
  DEFAULT_SEGMENT_MAX_AGE_MS,
  DEFAULT_SEGMENT_MAX_BYTES,
  DEFAULT_SEGMENT_THRESHOLD_BYTES,
} from '@mailkeep/config';
import { type BlobStore, FilesystemBlobStore, S3BlobStore, SegmentedBlobStore } from '@mailkeep/storage';
import { startS3rver } from '@mailkeep/testing';

import { ownCpuSeconds, round, since } from '#lib/measure';

/** Messages per variant; the count-heavy corpus is 100,000 at scale 1, a tenth is enough for a ratio. */
const MESSAGES = Number(process.argv[2] ?? 5_000);
/** Messages in flight: 4 mailboxes × 8 messages, the worker defaults (MAILKEEP_CONNECTOR_*). */
const IN_FLIGHT = Number(process.argv[3] ?? 32);
/** The product defaults, read from the configuration so the bench follows them when they change. */
const SEGMENTS = {
  thresholdBytes: DEFAULT_SEGMENT_THRESHOLD_BYTES,
  maxBytes: DEFAULT_SEGMENT_MAX_BYTES,
  maxAgeMs: DEFAULT_SEGMENT_MAX_AGE_MS,
  lingerMs: DEFAULT_SEGMENT_LINGER_MS,
};

/** 1–8 KB messages, distinct, as the count-heavy corpus has them. */
function messages(count: number): Buffer[] {
  return Array.from({ length: count }, (_, n) => {
    const size = 1024 + ((n * 7919) % (7 * 1024));
    const body = Buffer.alloc(size, n % 251);
    body.write(`Message-ID: <${n}.${randomUUID()}@bench>\r\nSubject: m${n}\r\n\r\n`);
    return body;
  });
}

async function putAll(store: BlobStore, tenantId: string, corpus: readonly Buffer[]) {
  const cpu = ownCpuSeconds();
  const started = performance.now();
  let next = 0;
  const lanes = Array.from({ length: IN_FLIGHT }, async () => {
    while (next < corpus.length) {
      const bytes = corpus[next++]!;
      await store.put(tenantId, bytes);
    }
  });
  await Promise.all(lanes);
  const seconds = since(started);
  return {
    messagesPerSecond: Math.round(corpus.length / seconds),
    cpuSecondsPer1000: round(((ownCpuSeconds() - cpu) / corpus.length) * 1000, 3),
  };
}

const corpus = messages(MESSAGES);
const results: Record<string, { messagesPerSecond: number; cpuSecondsPer1000: number }> = {};

const root = await mkdtemp(join(tmpdir(), 'mailkeep-bench-segments-'));
const s3 = await startS3rver();
try {
  const filesystem = new FilesystemBlobStore({ root });
  const bucket = {
    endpoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket: 'bench-segments',
    region: 'us-east-1',
  };
  const objects = new S3BlobStore(bucket);
  await Promise.all([filesystem.check(), objects.check()]);
  // Alternating order, each variant in its own tenant: the disk's state favours neither.
  results['filesystem, one file per message'] = await putAll(filesystem, randomUUID(), corpus);
  results['filesystem, segments'] = await putAll(
    new SegmentedBlobStore(filesystem, SEGMENTS),
    randomUUID(),
    corpus,
  );
  results['s3rver, segments'] = await putAll(new SegmentedBlobStore(objects, SEGMENTS), randomUUID(), corpus);
  results['s3rver, one object per message'] = await putAll(objects, randomUUID(), corpus);
} finally {
  await s3.stop();
  await rm(root, { recursive: true, force: true });
}

const ratio = (a: string, b: string) =>
  round(results[a]!.messagesPerSecond / results[b]!.messagesPerSecond, 1);
console.log(
  JSON.stringify(
    {
      messages: MESSAGES,
      inFlight: IN_FLIGHT,
      results,
      segmentsOverObjects: {
        filesystem: ratio('filesystem, segments', 'filesystem, one file per message'),
        s3rver: ratio('s3rver, segments', 's3rver, one object per message'),
      },
    },
    null,
    2,
  ),
);
