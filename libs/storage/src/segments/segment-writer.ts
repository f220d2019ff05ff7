import { randomUUID } from 'node:crypto';

import type { Logger } from '@mailkeep/observability';

import type { BlobLocation } from '../blob-address.js';
import type { SegmentStorage } from '../blob-store.js';
import { encodeSegment, type SegmentEntry } from './segment-format.js';

export interface SegmentWriterSettings {
  /** A segment is sealed once it holds this many bytes of messages (MAILKEEP_SEGMENT_MAX_BYTES). */
  readonly maxBytes: number;
  /** ... or once its first message has waited this long (MAILKEEP_SEGMENT_MAX_AGE_MS). */
  readonly maxAgeMs: number;
  /**
   * ... or once no message has come for this long (MAILKEEP_SEGMENT_LINGER_MS): connectors keep a
   * bounded number of messages in flight and each waits for its seal, so a quiet segment means its
   * writers are all waiting on it, and the age limit alone would stall a small mailbox for a
   * second per window. Capped at `maxAgeMs`.
   */
  readonly lingerMs: number;
}

/**
 * Hashes of recently sealed messages this process remembers, so the same content archived again
 * (one mail to many mailboxes, a re-run) is not written into a second segment. About 150 bytes
 * each; past this many the memory starts over (it is an optimisation: the catalog's first location
 * of a hash wins whatever was written, decision 0020).
 */
const RECENT_HASHES_MAX = 50_000;

/** What an append gives back once its segment is durable. */
export interface SegmentAppendResult {
  readonly location: BlobLocation;
  /** False when the tenant's content was already in a segment this process wrote. */
  readonly created: boolean;
}

class OpenSegment {
  readonly id = randomUUID();
  readonly messages: Buffer[] = [];
  readonly entries: SegmentEntry[] = [];
  readonly offsets = new Map<string, number>();
  bytes = 0;
  ageTimer?: NodeJS.Timeout;
  lingerTimer?: NodeJS.Timeout;
  readonly durable: Promise<void>;
  settle!: (error?: unknown) => void;

  constructor(readonly tenantId: string) {
    this.durable = new Promise<void>((resolve, reject) => {
      this.settle = (error) =>
        error === undefined
          ? resolve()
          : reject(error instanceof Error ? error : new Error('segment not written', { cause: error }));
    });
    // Every append awaits `durable`; this only keeps a failed seal with no waiter left from
    // crashing the process as an unhandled rejection.
    this.durable.catch(() => undefined);
  }
}

/**
 * Group commit of small messages (decision 0020): appends go to the tenant's open segment, held in
 * memory; the segment is sealed (written durably in one go) when it is full, old, or quiet, and only
 * then do the appends resolve. Callers publish a message's event and move its cursor after that,
 * so nothing acknowledged is ever only in memory; a crash loses the open segment, whose messages
 * were never acknowledged and are fetched again.
 *
 * Memory: one open segment per tenant being archived (at most `maxBytes` plus one message), and
 * the segments being written. Both are also bounded by the messages callers keep in flight, as
 * every append waits for its seal.
 */
export class SegmentWriter {
  private readonly open = new Map<string, OpenSegment>();
  private readonly sealing = new Set<Promise<void>>();
  private readonly recent = new Map<string, BlobLocation>();
  private readonly lingerMs: number;

  constructor(
    private readonly storage: SegmentStorage,
    private readonly settings: SegmentWriterSettings,
    private readonly logger?: Logger,
  ) {
    this.lingerMs = Math.min(settings.lingerMs, settings.maxAgeMs);
  }

  /** Bytes of messages held in memory: open segments and segments being written. */
  get heldBytes(): number {
    let bytes = 0;
    for (const segment of this.open.values()) bytes += segment.bytes;
    return bytes + this.sealingBytes;
  }
  private sealingBytes = 0;

  /** Appends a message (its hash already known) and resolves once its segment is durable. */
  async append(tenantId: string, sha256: string, bytes: Buffer): Promise<SegmentAppendResult> {
    const known = this.recent.get(`${tenantId}/${sha256}`);
    if (known !== undefined) return { location: known, created: false };
    let segment = this.open.get(tenantId);
    if (segment === undefined) {
      segment = this.openSegment(tenantId);
    }
    const already = segment.offsets.get(sha256);
    if (already !== undefined) {
      // The same content twice in one segment: stored once, both wait for the same seal.
      await segment.durable;
      return { location: { segmentId: segment.id, offset: already, size: bytes.length }, created: false };
    }
    const location = { segmentId: segment.id, offset: segment.bytes, size: bytes.length };
    segment.messages.push(bytes);
    segment.entries.push({ sha256, offset: location.offset, size: location.size });
    segment.offsets.set(sha256, location.offset);
    segment.bytes += bytes.length;
    if (segment.bytes >= this.settings.maxBytes) this.seal(segment);
    else segment.lingerTimer?.refresh();
    await segment.durable;
    return { location, created: true };
  }

  /** Seals every open segment now and waits until all are written (shutdown, tests). */
  async flush(): Promise<void> {
    for (const segment of [...this.open.values()]) this.seal(segment);
    await Promise.allSettled([...this.sealing]);
  }

  private openSegment(tenantId: string): OpenSegment {
    const segment = new OpenSegment(tenantId);
    this.open.set(tenantId, segment);
    segment.ageTimer = setTimeout(() => this.seal(segment), this.settings.maxAgeMs);
    segment.lingerTimer = setTimeout(() => this.seal(segment), this.lingerMs);
    return segment;
  }

  private seal(segment: OpenSegment): void {
    if (this.open.get(segment.tenantId) !== segment) return; // already sealed
    this.open.delete(segment.tenantId);
    clearTimeout(segment.ageTimer);
    clearTimeout(segment.lingerTimer);
    const chunks = encodeSegment(
      { tenantId: segment.tenantId, segmentId: segment.id, messages: segment.entries },
      segment.messages,
    );
    this.sealingBytes += segment.bytes;
    const written = this.storage.writeSegment(segment.tenantId, segment.id, chunks).then(
      () => {
        this.remember(segment);
        segment.settle();
      },
      (error: unknown) => {
        this.logger?.warn('segment not written; its messages were not archived', {
          segmentId: segment.id,
          messages: segment.entries.length,
          error: String(error),
        });
        segment.settle(error);
      },
    );
    const tracked = written.finally(() => {
      this.sealingBytes -= segment.bytes;
      this.sealing.delete(tracked);
    });
    this.sealing.add(tracked);
  }

  private remember(segment: OpenSegment): void {
    if (this.recent.size + segment.entries.length > RECENT_HASHES_MAX) this.recent.clear();
    for (const entry of segment.entries) {
      this.recent.set(`${segment.tenantId}/${entry.sha256}`, {
        segmentId: segment.id,
        offset: entry.offset,
        size: entry.size,
      });
    }
  }
}
