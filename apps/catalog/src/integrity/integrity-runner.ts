import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import type { BlobDriver } from '@mailkeep/storage';
import type { Counter } from 'prom-client';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { BLOB_STORE } from '../tokens.js';
import { verifyBlob } from './blob-verifier.js';
import { type CheckPosition, formatCheckPosition, parseCheckPosition } from './check-position.js';
import type { IntegrityCheckEntity } from './integrity-check.entity.js';
import {
  type Finding,
  IntegrityChecksRepository,
  type SegmentFinding,
} from './integrity-checks.repository.js';
import { checkSegment } from './segment-verifier.js';

/**
 * Blobs per page; the page's findings and position commit together (the resume point). In the
 * segment phase a page is whole segments holding about this many blobs (at least one segment).
 */
const PAGE_BLOBS = 200;
/**
 * Own-object blobs read at once. Four streams keep a disk or an S3 connection pool busy while
 * leaving the store's bandwidth to the connectors archiving at the same time (A4: checks run
 * alongside).
 */
const OBJECT_CONCURRENCY = 4;
/**
 * Segments read at once. Each is held whole in memory (at most MAILKEEP_SEGMENT_MAX_BYTES and one
 * message, 16 MiB + 256 KiB by default), so two bound a check to about 33 MiB of segment buffers.
 */
const SEGMENT_CONCURRENCY = 2;
/** Tries per blob or segment before a storage error fails the check: rides out a short S3 or disk hiccup. */
const BLOB_ATTEMPTS = 3;
/** Pause before the second and third try. */
const BLOB_RETRY_DELAY_MS = 1_000;
/** The owner renews its hold this often, also while one large blob takes minutes to read. */
const HEARTBEAT_INTERVAL_MS = 10_000;
/** A check not renewed for this long lost its process (crash, kill -9): another one resumes it. */
export const STALE_CHECK_MS = 60_000;
/** How often each catalog process looks for abandoned checks to resume. */
const RECOVERY_INTERVAL_MS = 30_000;

/**
 * Runs integrity checks in the background of the catalog process (A4): every distinct blob of the
 * tenant read back and re-hashed, first those stored as their own objects (hash order), then
 * those in segments, each segment read once whole and verified itself too (check-position.ts).
 * Progress and findings are committed per page, so a check whose process dies is resumed where it
 * stopped by the next catalog process to look (at start-up and every RECOVERY_INTERVAL_MS); on
 * shutdown the hold is released for that at once.
 */
@Injectable()
export class IntegrityRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running = new Map<string, { owner: string; done: Promise<void> }>();
  private readonly stopping = new AbortController();
  private recoveryTimer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;
  /** Blobs found missing or not matching their hash, and damaged segments, as checks record them (alerted on). */
  private readonly findingsFound: Counter<'kind'>;

  constructor(
    private readonly checks: IntegrityChecksRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobDriver,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
    this.findingsFound = context.metrics.counter({
      name: 'mailkeep_integrity_findings_total',
      help: 'Damage integrity checks found; kind=missing|mismatch (a blob gone or differing from its hash)|segment (a segment damaged outside its messages)',
      labelNames: ['kind'],
    });
  }

  onApplicationBootstrap(): void {
    void this.resumeAbandoned();
    this.recoveryTimer = setInterval(() => void this.resumeAbandoned(), RECOVERY_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.recoveryTimer);
    this.stopping.abort();
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
  }

  /** A new owner id for a check this process is about to run. */
  newOwner(): string {
    return randomUUID();
  }

  /** Runs the check in the background (it is already recorded as owned by `owner`). */
  start(check: IntegrityCheckEntity, owner: string): void {
    if (this.running.has(check.id)) return;
    const done = this.run(check, owner).finally(() => this.running.delete(check.id));
    this.running.set(check.id, { owner, done });
  }

  /** Waits until no check runs in this process (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((e) => e.done));
  }

  /** Takes over and resumes the running checks whose process has not been heard of (STALE_CHECK_MS). */
  async resumeAbandoned(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    try {
      const owners = new Map<string, string>();
      const taken = await this.checks.takeOverStale(STALE_CHECK_MS, (id) => {
        const owner = this.newOwner();
        owners.set(id, owner);
        return owner;
      });
      for (const check of taken) {
        this.logger.info('resuming an integrity check', { checkId: check.id, tenantId: check.tenantId });
        this.start(check, owners.get(check.id)!);
      }
    } catch (error) {
      this.logger.warn('could not look for abandoned integrity checks', { error });
    }
  }

  private async run(check: IntegrityCheckEntity, owner: string): Promise<void> {
    const lost = new AbortController();
    const signal = AbortSignal.any([this.stopping.signal, lost.signal]);
    const heartbeat = setInterval(() => {
      this.checks.heartbeat(check.id, owner).then(
        (held) => held || lost.abort(),
        () => undefined, // a missed heartbeat is harmless; the next one or the page commit renews
      );
    }, HEARTBEAT_INTERVAL_MS);
    try {
      const held = await this.checkPages(check, owner, signal);
      if (!held) {
        this.logger.warn('integrity check taken over by another process', { checkId: check.id });
        return;
      }
      await this.checks.finish(check.id, owner, 'succeeded');
      this.logger.info('integrity check finished', { checkId: check.id, tenantId: check.tenantId });
    } catch (error) {
      if (this.stopping.signal.aborted) {
        await this.checks.release(check.id, owner).catch(() => undefined);
        return;
      }
      if (lost.signal.aborted) return;
      this.logger.error('integrity check failed', { checkId: check.id, tenantId: check.tenantId, error });
      const message = error instanceof Error ? error.message : String(error);
      await this.checks
        .finish(check.id, owner, 'failed', `The blob store could not be read: ${message}`)
        .catch((finishError: unknown) =>
          this.logger.error('could not record the failed integrity check', {
            checkId: check.id,
            error: finishError,
          }),
        );
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Both phases from the check's position (check-position.ts), a page at a time: own objects in
   * hash order, then segments in id order. False when another process took the check over.
   */
  private async checkPages(
    check: IntegrityCheckEntity,
    owner: string,
    signal: AbortSignal,
  ): Promise<boolean> {
    const { tenantId } = check;
    let position = parseCheckPosition(check.position);
    while (position.phase === 'objects') {
      const page = await this.checks.nextOwnObjects(tenantId, position.after, PAGE_BLOBS);
      if (page.length === 0) {
        position = { phase: 'segments', after: null };
        break;
      }
      const findings: Finding[] = [];
      await forEachAtOnce(page, OBJECT_CONCURRENCY, async (blob) => {
        const finding = await this.withRetries(() => verifyBlob(this.blobs, tenantId, blob, signal), signal);
        if (finding) findings.push(finding);
      });
      position = { phase: 'objects', after: page[page.length - 1]!.sha256 };
      if (!(await this.record(check.id, owner, position, { checked: page.length, findings }))) return false;
    }
    for (;;) {
      const page = await this.checks.nextSegments(tenantId, position.after, PAGE_BLOBS);
      if (page.last === undefined) return true;
      const findings: Finding[] = [];
      const damagedSegments: SegmentFinding[] = [];
      await forEachAtOnce(page.segments, SEGMENT_CONCURRENCY, async (segment) => {
        if (segment.blobs.length === 0) return; // its locations lost their messages: nothing to check
        const result = await this.withRetries(
          () => checkSegment(this.blobs, tenantId, segment, signal),
          signal,
        );
        findings.push(...result.findings);
        if (result.damagedSegment) {
          damagedSegments.push(result.damagedSegment);
          this.logger.warn('integrity check found a damaged segment', {
            checkId: check.id,
            tenantId,
            ...result.damagedSegment,
          });
        }
      });
      position = { phase: 'segments', after: page.last };
      const checked = page.segments.reduce((sum, segment) => sum + segment.blobs.length, 0);
      if (!(await this.record(check.id, owner, position, { checked, findings, damagedSegments }))) {
        return false;
      }
    }
  }

  /** Commits a page with its new position; false when the check is no longer this owner's. */
  private async record(
    checkId: string,
    owner: string,
    position: CheckPosition,
    page: { checked: number; findings: readonly Finding[]; damagedSegments?: readonly SegmentFinding[] },
  ): Promise<boolean> {
    const held = await this.checks.recordPage(checkId, owner, {
      position: formatCheckPosition(position),
      ...page,
    });
    if (!held) return false;
    for (const finding of page.findings) this.findingsFound.inc({ kind: finding.kind });
    for (const _segment of page.damagedSegments ?? []) this.findingsFound.inc({ kind: 'segment' });
    return true;
  }

  private async withRetries<T>(attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let tries = 1; ; tries++) {
      signal.throwIfAborted();
      try {
        return await attempt();
      } catch (error) {
        if (tries >= BLOB_ATTEMPTS || signal.aborted) throw error;
        await sleep(BLOB_RETRY_DELAY_MS, undefined, { signal });
      }
    }
  }
}

/**
 * Runs `work` on every item, at most `concurrency` at once. The first failure stops the others
 * after their current item and rejects: the check fails as a whole.
 */
async function forEachAtOnce<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
