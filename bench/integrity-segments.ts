/**
 * The integrity check over segmented messages on s3rver (issue 24 item 3), before and after it
 * read segments whole. Not a timed test: run after a build with
 *
 *   flock /tmp/mailkeep-build.lock npm run build && npx node bench/integrity-segments.ts [messages] [in flight]
 *
 * The messages (1–8 KB, as the count-heavy corpus) are put through the segmented store with the
 * product's segment settings and `in flight` puts at once (a worker's default window is 32, which
 * is what a segment then holds), and recorded in a catalog database of their own.
 * - before: what the check did until now, one ranged GET per blob at its location (the built
 *   `verifyBlob`, 4 at once, in hash order); the catalog's paging (one query per 200 blobs) is left
 *   out, so this side is if anything flattered;
 * - after: the built `IntegrityRunner` over the same catalog and store, both phases.
 * Each runs twice, alternately. It prints, per run, seconds, this process's CPU seconds and the
 * GETs sent to S3 (counted at the driver: a ranged GET per `get`, one GET per `readSegment`).
 */
import { randomUUID } from 'node:crypto';

import {
  DEFAULT_SEGMENT_LINGER_MS,
  DEFAULT_SEGMENT_MAX_AGE_MS,
  DEFAULT_SEGMENT_MAX_BYTES,
  DEFAULT_SEGMENT_THRESHOLD_BYTES,
} from '@mailkeep/config';
import { createLogger, createMetrics } from '@mailkeep/observability';
import { createDataSource, runMigrations } from '@mailkeep/persistence';
import type { ServiceContext } from '@mailkeep/runtime';
import { type BlobDriver, type PutBlobResult, S3BlobStore, SegmentedBlobStore } from '@mailkeep/storage';
import { createTestDatabase, startS3rver } from '@mailkeep/testing';

import { ownCpuSeconds, round, since } from '#lib/measure';

const MESSAGES = Number(process.argv[2] ?? 20_000);
const IN_FLIGHT = Number(process.argv[3] ?? 32);

// The catalog as built (decorators need the compiled code; type stripping does not run them).
const built = (path: string) => new URL(`../apps/catalog/dist/${path}`, import.meta.url).href;
const { CATALOG_SCHEMA } = (await import(
  built('database/catalog-schema.js')
)) as typeof import('../apps/catalog/src/database/catalog-schema.js');
const { IntegrityChecksRepository } = (await import(
  built('integrity/integrity-checks.repository.js')
)) as typeof import('../apps/catalog/src/integrity/integrity-checks.repository.js');
const { IntegrityRunner } = (await import(
  built('integrity/integrity-runner.js')
)) as typeof import('../apps/catalog/src/integrity/integrity-runner.js');
const { verifyBlob } = (await import(
  built('integrity/blob-verifier.js')
)) as typeof import('../apps/catalog/src/integrity/blob-verifier.js');

/** The driver with its reads counted: each is one GET on S3. */
function countingGets(driver: BlobDriver): { driver: BlobDriver; gets: () => number } {
  let gets = 0;
  const counted: BlobDriver = Object.create(driver) as BlobDriver;
  counted.get = (...args) => (gets++, driver.get(...args));
  counted.readSegment = (...args) => (gets++, driver.readSegment(...args));
  return { driver: counted, gets: () => gets };
}

function messages(count: number): Buffer[] {
  return Array.from({ length: count }, (_, n) => {
    const body = Buffer.alloc(1024 + ((n * 7919) % (7 * 1024)), n % 251);
    body.write(`Message-ID: <${n}.${randomUUID()}@bench>\r\nSubject: m${n}\r\n\r\n`);
    return body;
  });
}

async function putAll(store: SegmentedBlobStore, tenantId: string): Promise<PutBlobResult[]> {
  const corpus = messages(MESSAGES);
  const stored: PutBlobResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < corpus.length) stored.push(await store.put(tenantId, corpus[next++]!));
    }),
  );
  return stored;
}

async function measure(gets: () => number, check: () => Promise<void>) {
  const [cpu, before, started] = [ownCpuSeconds(), gets(), performance.now()];
  await check();
  return {
    seconds: round(since(started), 2),
    cpuSeconds: round(ownCpuSeconds() - cpu, 2),
    gets: gets() - before,
  };
}

const s3 = await startS3rver();
const database = await createTestDatabase('bench_integrity');
const dataSource = createDataSource({ url: database.url, ...CATALOG_SCHEMA });
try {
  await dataSource.initialize();
  await runMigrations(dataSource);
  const s3Driver = new S3BlobStore({
    endpoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket: 'bench-integrity',
    region: 'us-east-1',
  });
  await s3Driver.check();
  const tenantId = randomUUID();
  const stored = await putAll(
    new SegmentedBlobStore(s3Driver, {
      thresholdBytes: DEFAULT_SEGMENT_THRESHOLD_BYTES,
      maxBytes: DEFAULT_SEGMENT_MAX_BYTES,
      maxAgeMs: DEFAULT_SEGMENT_MAX_AGE_MS,
      lingerMs: DEFAULT_SEGMENT_LINGER_MS,
    }),
    tenantId,
  );
  await dataSource.query(
    `WITH v AS (SELECT * FROM jsonb_to_recordset($1::jsonb)
                  AS v(sha256 varchar, size bigint, segment_id uuid, segment_offset bigint)),
     located AS (INSERT INTO catalog.blob_location (tenant_id, sha256, segment_id, segment_offset, size)
                 SELECT $2, sha256, segment_id, segment_offset, size FROM v)
     INSERT INTO catalog.message (id, tenant_id, mailbox_id, source_key, source_identity, folder, sha256, size,
                                  sort_at, archived_at, run_id, task_id, search)
     SELECT gen_random_uuid(), $2, $3, sha256, sha256, 'INBOX', sha256, size, now(), now(), $3, $3, ''::tsvector
     FROM v`,
    [
      JSON.stringify(
        stored.map((blob) => ({
          sha256: blob.sha256,
          size: blob.size,
          segment_id: blob.location!.segmentId,
          segment_offset: blob.location!.offset,
        })),
      ),
      tenantId,
      randomUUID(),
    ],
  );
  const segments = new Set(stored.map((blob) => blob.location!.segmentId)).size;
  const { driver, gets } = countingGets(s3Driver);
  const bySha = [...stored].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
  const never = new AbortController().signal;

  const rangeReads = () =>
    measure(gets, async () => {
      let next = 0;
      const lanes = Array.from({ length: 4 }, async () => {
        while (next < bySha.length) {
          const blob = bySha[next++]!;
          const finding = await verifyBlob(driver, tenantId, blob, never);
          if (finding) throw new Error(`unexpected finding ${JSON.stringify(finding)}`);
        }
      });
      await Promise.all(lanes);
    });
  const context = {
    logger: createLogger({ service: 'bench', level: 'fatal' }),
    metrics: createMetrics({ service: 'catalog' }),
  } as ServiceContext<unknown>;
  const repository = new IntegrityChecksRepository(dataSource);
  const runner = new IntegrityRunner(repository, driver, context);
  const wholeSegments = () =>
    measure(gets, async () => {
      const owner = runner.newOwner();
      const check = (await repository.create(tenantId, owner))!;
      runner.start(check, owner);
      await runner.idle();
      const done = (await repository.find(tenantId, check.id))!;
      if (
        done.status !== 'succeeded' ||
        done.checked !== stored.length ||
        done.mismatchCount + done.missingCount
      )
        throw new Error(`unexpected check ${JSON.stringify(done)}`);
    });

  const before = [await rangeReads()];
  const after = [await wholeSegments()];
  before.push(await rangeReads());
  after.push(await wholeSegments());
  console.log(
    JSON.stringify(
      {
        messages: stored.length,
        inFlight: IN_FLIGHT,
        segments,
        messagesPerSegment: round(stored.length / segments, 1),
        before,
        after,
        speedup: round(before[1]!.seconds / after[1]!.seconds, 1),
      },
      null,
      2,
    ),
  );
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  await database.drop();
  await s3.stop();
}
