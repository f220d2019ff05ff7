import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IntegrityCheck } from '@mailkeep/contracts';
import { createMetrics } from '@mailkeep/observability';
import type { ServiceContext } from '@mailkeep/runtime';
import {
  type BlobDriver,
  blobKey,
  FilesystemBlobStore,
  type PutBlobResult,
  S3BlobStore,
  SegmentedBlobStore,
  segmentKey,
} from '@mailkeep/storage';
import { type ServiceHarness, startS3rver, startServiceHarness, waitFor } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CATALOG_SCHEMA } from '../database/catalog-schema.js';
import { IntegrityChecksRepository } from './integrity-checks.repository.js';
import { IntegrityChecksService } from './integrity-checks.service.js';
import { IntegrityRunner } from './integrity-runner.js';

/**
 * Integrity checks over segments (decision 0020): each segment read once whole, its own trailer,
 * index and checksum verified, and every message the catalog places in it hashed at its location.
 * Real PostgreSQL (the catalog schema migrated), on the filesystem store and on s3rver.
 */
let harness: ServiceHarness;

beforeAll(async () => {
  harness = await startServiceHarness({
    name: 'catalog-integrity-segments',
    database: CATALOG_SCHEMA,
    bus: false,
    logLevel: 'fatal',
  });
});

afterAll(() => harness?.close());

/** A store the test can also damage from behind, as a failing disk or a careless operator would. */
interface Backend {
  readonly driver: BlobDriver;
  /** The raw bytes of a key, changed by `change` and written back. */
  damage(key: string, change: (bytes: Buffer) => void): Promise<void>;
  /** The key's object gone. */
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

async function filesystemBackend(): Promise<Backend> {
  const root = await mkdtemp(join(tmpdir(), 'mailkeep-integrity-'));
  return {
    driver: new FilesystemBlobStore({ root }),
    damage: async (key, change) => {
      const bytes = await readFile(join(root, key));
      change(bytes);
      await writeFile(join(root, key), bytes);
    },
    remove: (key) => rm(join(root, key)),
    close: () => rm(root, { recursive: true, force: true }),
  };
}

async function s3rverBackend(): Promise<Backend> {
  const s3 = await startS3rver();
  const bucket = 'mailkeep-integrity';
  const driver = new S3BlobStore({
    endpoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket,
    region: 'us-east-1',
  });
  await driver.check();
  // s3rver keeps an object as `<bucket>/<key>._S3rver_object` beside its metadata.
  const file = (key: string, suffix: string) => join(s3.directory, bucket, `${key}._S3rver_${suffix}`);
  return {
    driver,
    damage: async (key, change) => {
      const bytes = await readFile(file(key, 'object'));
      change(bytes);
      await writeFile(file(key, 'object'), bytes);
    },
    remove: async (key) => {
      await rm(file(key, 'object'));
      await rm(file(key, 'metadata.json'));
    },
    close: () => s3.stop(),
  };
}

/**
 * The driver as the catalog uses it, counting reads (a GET each on S3); `holdRead` makes the
 * next read of one segment wait for a gate, to stop a check in the middle of its segments.
 */
class CountingDriver implements BlobDriver {
  readonly kind: BlobDriver['kind'];
  readonly segmentReads = new Map<string, number>();
  objectReads = 0;
  private held: { segmentId: string; reached: () => void; gate: Promise<void> } | undefined;

  constructor(private readonly inner: BlobDriver) {
    this.kind = inner.kind;
  }

  holdRead(segmentId: string, gate: Promise<void>): Promise<void> {
    return new Promise((reached) => (this.held = { segmentId, reached, gate }));
  }

  async readSegment(tenantId: string, segmentId: string): Promise<Buffer> {
    this.segmentReads.set(segmentId, (this.segmentReads.get(segmentId) ?? 0) + 1);
    const held = this.held;
    if (held?.segmentId === segmentId) {
      this.held = undefined;
      held.reached();
      await held.gate;
    }
    return this.inner.readSegment(tenantId, segmentId);
  }

  get: BlobDriver['get'] = (...args) => {
    this.objectReads++;
    return this.inner.get(...args);
  };
  stat: BlobDriver['stat'] = (...args) => this.inner.stat(...args);
  put: BlobDriver['put'] = (...args) => this.inner.put(...args);
  writeSegment: BlobDriver['writeSegment'] = (...args) => this.inner.writeSegment(...args);
  check: BlobDriver['check'] = () => this.inner.check();
}

/** A catalog process's runner and the service that answers the API's view of a check. */
function catalogProcess(driver: BlobDriver) {
  const context = {
    logger: harness.logger,
    metrics: createMetrics({ service: 'catalog' }),
  } as ServiceContext<unknown>;
  const repository = new IntegrityChecksRepository(harness.dataSource);
  const runner = new IntegrityRunner(repository, driver, context);
  return { repository, runner, service: new IntegrityChecksService(repository, runner) };
}

/** Records archived messages in the catalog as ingestion does: a row each, and its location. */
async function catalogue(tenantId: string, blobs: readonly PutBlobResult[]): Promise<void> {
  const rows = JSON.stringify(
    blobs.map((blob, i) => ({
      id: randomUUID(),
      source_key: `pop3:${i}`,
      sha256: blob.sha256,
      size: blob.size,
      segment_id: blob.location?.segmentId ?? null,
      segment_offset: blob.location?.offset ?? null,
    })),
  );
  await harness.sql.query(
    `WITH v AS (SELECT * FROM jsonb_to_recordset($1::jsonb)
                  AS v(id uuid, source_key varchar, sha256 varchar, size bigint, segment_id uuid, segment_offset bigint)),
     located AS (
       INSERT INTO catalog.blob_location (tenant_id, sha256, segment_id, segment_offset, size)
       SELECT $2, sha256, segment_id, segment_offset, size FROM v WHERE segment_id IS NOT NULL)
     INSERT INTO catalog.message (id, tenant_id, mailbox_id, source_key, source_identity, folder, sha256, size,
                                  sort_at, archived_at, run_id, task_id, search)
     SELECT id, $2, $3, source_key, source_key, 'INBOX', sha256, size, now(), now(), $4, $4, ''::tsvector FROM v`,
    [rows, tenantId, randomUUID(), randomUUID()],
  );
}

/**
 * Archives `segments` groups of `perSegment` small messages, each group sealed as one segment
 * (all put at once, then the linger seals), and one message stored as its own object (an archive
 * from before segments). Returns them by segment id, in id order, and the own object.
 */
async function archive(driver: BlobDriver, tenantId: string, segments: number, perSegment: number) {
  const writer = new SegmentedBlobStore(driver, {
    thresholdBytes: 64 * 1024,
    maxBytes: 8 << 20,
    maxAgeMs: 1_000,
    lingerMs: 2,
  });
  const bySegment = new Map<string, PutBlobResult[]>();
  for (let s = 0; s < segments; s++) {
    const stored = await Promise.all(
      Array.from({ length: perSegment }, (_, i) =>
        writer.put(tenantId, Buffer.from(`Subject: ${s}/${i} ${randomUUID()}\r\n\r\nbody ${i}\r\n`)),
      ),
    );
    const ids = new Set(stored.map((blob) => blob.location!.segmentId));
    expect(ids.size).toBe(1);
    bySegment.set([...ids][0]!, stored);
  }
  const own = await driver.put(
    tenantId,
    Buffer.from(`Subject: legacy ${randomUUID()}\r\n\r\nold layout\r\n`),
  );
  expect(own.location).toBeUndefined();
  await catalogue(tenantId, [...[...bySegment.values()].flat(), own]);
  const ordered = [...bySegment].sort(([a], [b]) => (a < b ? -1 : 1));
  return { segments: ordered.map(([segmentId, blobs]) => ({ segmentId, blobs })), own };
}

/** Runs a whole check in this process and answers its view as the API shows it. */
async function runCheck(driver: BlobDriver, tenantId: string): Promise<IntegrityCheck> {
  const { service, runner } = catalogProcess(driver);
  const started = await service.start(tenantId);
  await runner.idle();
  return service.get(tenantId, started.id);
}

describe.each([
  ['filesystem', filesystemBackend],
  ['s3 (s3rver)', s3rverBackend],
])('integrity check over segments, %s', (_name, start) => {
  let backend: Backend;

  beforeAll(async () => {
    backend = await start();
  });

  afterAll(() => backend?.close());

  it('reads each segment once whole and each own object once: intact, no findings', async () => {
    const tenantId = randomUUID();
    const { segments } = await archive(backend.driver, tenantId, 3, 20);
    const driver = new CountingDriver(backend.driver);

    const check = await runCheck(driver, tenantId);

    expect(check).toMatchObject({
      status: 'succeeded',
      total: 61,
      checked: 61,
      mismatchCount: 0,
      missingCount: 0,
      damagedSegmentCount: 0,
      mismatches: [],
      missing: [],
      damagedSegments: [],
      error: null,
    });
    expect(Object.fromEntries(driver.segmentReads)).toEqual(
      Object.fromEntries(segments.map(({ segmentId }) => [segmentId, 1])),
    );
    expect(driver.objectReads).toBe(1);
  });

  it('a byte flipped inside one message: exactly that message, not the segment', async () => {
    const tenantId = randomUUID();
    const { segments } = await archive(backend.driver, tenantId, 2, 10);
    const victim = segments[1]!.blobs[4]!;
    const { segmentId, offset } = victim.location!;
    await backend.damage(segmentKey(tenantId, segmentId), (bytes) => {
      bytes[offset + 3] = bytes[offset + 3]! ^ 0x01;
    });

    const check = await runCheck(backend.driver, tenantId);

    expect(check).toMatchObject({
      status: 'succeeded',
      checked: 21,
      mismatchCount: 1,
      missingCount: 0,
      damagedSegmentCount: 0,
      damagedSegments: [],
    });
    expect(check.mismatches).toEqual([
      {
        sha256: victim.sha256,
        expectedSize: victim.size,
        actualSize: victim.size,
        actualSha256: expect.not.stringMatching(victim.sha256) as unknown,
      },
    ]);
  });

  it('a damaged trailer, index or checksum: the segment is reported, its messages still fine', async () => {
    const tenantId = randomUUID();
    const { segments } = await archive(backend.driver, tenantId, 4, 5);
    const [brokenTrailer, brokenIndex, brokenChecksum, intact] = segments;
    await backend.damage(segmentKey(tenantId, brokenTrailer!.segmentId), (bytes) => {
      bytes.write('XXXX', bytes.length - 40, 'latin1'); // the trailer's magic
    });
    await backend.damage(segmentKey(tenantId, brokenIndex!.segmentId), (bytes) => {
      // The index names a message by another hash (same length, still valid JSON).
      const sha256 = brokenIndex!.blobs[2]!.sha256;
      const at = bytes.indexOf(sha256, 0, 'latin1');
      expect(at).toBeGreaterThan(0);
      bytes.write('0'.repeat(64), at, 'latin1');
    });
    await backend.damage(segmentKey(tenantId, brokenChecksum!.segmentId), (bytes) => {
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff; // the checksum's last byte
    });

    const check = await runCheck(backend.driver, tenantId);

    expect(check).toMatchObject({
      status: 'succeeded',
      checked: 21,
      total: 21,
      mismatchCount: 0,
      missingCount: 0,
      damagedSegmentCount: 3,
    });
    expect(check.damagedSegments).toEqual(
      [
        { segmentId: brokenTrailer!.segmentId, problem: 'trailer' },
        { segmentId: brokenIndex!.segmentId, problem: 'index' },
        { segmentId: brokenChecksum!.segmentId, problem: 'checksum' },
      ].sort((a, b) => (a.segmentId < b.segmentId ? -1 : 1)),
    );
    expect(check.damagedSegments.map((segment) => segment.segmentId)).not.toContain(intact!.segmentId);
  });

  it('a segment gone: every message it holds is missing; an own object gone is missing too', async () => {
    const tenantId = randomUUID();
    const { segments, own } = await archive(backend.driver, tenantId, 2, 7);
    const [lost, kept] = segments;
    await backend.remove(segmentKey(tenantId, lost!.segmentId));
    await backend.remove(blobKey({ tenantId, sha256: own.sha256 }));

    const check = await runCheck(backend.driver, tenantId);

    expect(check).toMatchObject({
      status: 'succeeded',
      checked: 15,
      mismatchCount: 0,
      missingCount: 8,
      damagedSegmentCount: 0,
    });
    expect(check.missing.map((finding) => finding.sha256).sort()).toEqual(
      [...lost!.blobs.map((blob) => blob.sha256), own.sha256].sort(),
    );
    expect(check.missing.map((finding) => finding.sha256)).not.toEqual(
      expect.arrayContaining([kept!.blobs[0]!.sha256]),
    );
  });

  it('a check released in the middle of its segments resumes after the last one finished', async () => {
    const tenantId = randomUUID();
    // More blobs per segment than a page holds (200): each segment is a page of its own.
    const { segments } = await archive(backend.driver, tenantId, 3, 210);
    const [first, second, third] = segments;
    const stopped = new CountingDriver(backend.driver);
    const { service, runner } = catalogProcess(stopped);
    let open!: () => void;
    const reached = stopped.holdRead(second!.segmentId, new Promise<void>((resolve) => (open = resolve)));

    const started = await service.start(tenantId);
    await reached;
    // Shut down while the second segment is being read: the hold is released, the first kept.
    const shutdown = runner.beforeApplicationShutdown();
    open();
    await shutdown;
    const [released] = (
      await harness.sql.query<{ owner: string | null; position: string; checked: number; status: string }>(
        `SELECT owner, position, checked, status FROM catalog.integrity_check WHERE id = $1`,
        [started.id],
      )
    ).rows;
    expect(released).toEqual({
      owner: null,
      position: `segments:${first!.segmentId}`,
      checked: 211, // the own object and the first segment
      status: 'running',
    });

    const resuming = new CountingDriver(backend.driver);
    const next = catalogProcess(resuming);
    await next.runner.resumeAbandoned();
    await next.runner.idle();

    expect(Object.fromEntries(resuming.segmentReads)).toEqual({
      [second!.segmentId]: 1,
      [third!.segmentId]: 1,
    });
    expect(resuming.objectReads).toBe(0);
    const check = await waitFor(
      async () => {
        const view = await next.service.get(tenantId, started.id);
        return view.status === 'running' ? undefined : view;
      },
      { timeoutMs: 10_000, description: 'the resumed check finished' },
    );
    expect(check).toMatchObject({
      status: 'succeeded',
      total: 631,
      checked: 631,
      mismatchCount: 0,
      missingCount: 0,
      damagedSegmentCount: 0,
    });
  });
});
