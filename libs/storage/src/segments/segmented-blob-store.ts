import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import type { Logger } from '@mailkeep/observability';

import { type BlobLocation, validTenantId } from '../blob-address.js';
import type { BlobDriver, BlobInfo, BlobStore, PutBlobResult } from '../blob-store.js';
import { asBytes, type BlobSource } from '../bytes.js';
import { SegmentWriter, type SegmentWriterSettings } from './segment-writer.js';

export interface SegmentedBlobStoreSettings extends SegmentWriterSettings {
  /** Messages smaller than this go into segments; the others stay single objects (MAILKEEP_SEGMENT_THRESHOLD_BYTES). */
  readonly thresholdBytes: number;
}

/**
 * The blob store a connector writes through when segments are on (decision 0020): a message
 * below the threshold is appended to the tenant's open segment and its put resolves once that
 * segment is durable, with the message's location; a larger one is put by the driver as its own
 * object, as before. Reads go to the driver, by location when there is one.
 */
export class SegmentedBlobStore implements BlobStore {
  readonly kind: BlobStore['kind'];
  private readonly writer: SegmentWriter;

  constructor(
    readonly driver: BlobDriver,
    private readonly settings: SegmentedBlobStoreSettings,
    logger?: Logger,
  ) {
    this.kind = driver.kind;
    this.writer = new SegmentWriter(driver, settings, logger);
  }

  /** Bytes of small messages waiting in memory for their segment to be written. */
  get heldBytes(): number {
    return this.writer.heldBytes;
  }

  async put(tenantId: string, source: BlobSource): Promise<PutBlobResult> {
    const tenant = validTenantId(tenantId);
    const small = await smallMessage(source, this.settings.thresholdBytes);
    if (small.rest !== undefined) return this.driver.put(tenant, small.rest);
    const bytes = small.whole;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { location, created } = await this.writer.append(tenant, sha256, bytes);
    return { sha256, size: bytes.length, created, location };
  }

  get(tenantId: string, sha256: string, location?: BlobLocation): Promise<Readable> {
    return this.driver.get(tenantId, sha256, location);
  }

  stat(tenantId: string, sha256: string, location?: BlobLocation): Promise<BlobInfo | undefined> {
    return this.driver.stat(tenantId, sha256, location);
  }

  check(): Promise<void> {
    return this.driver.check();
  }

  /** Seals the open segments now and waits for them (graceful shutdown, tests). */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}

/**
 * Reads a source until it is known to be below `threshold` bytes (then whole, in memory) or not
 * (then a stream of the same bytes: those read so far, then the rest), so a large streamed message
 * is never held whole.
 */
async function smallMessage(
  source: BlobSource,
  threshold: number,
): Promise<{ whole: Buffer; rest?: undefined } | { rest: BlobSource }> {
  if (source instanceof Uint8Array) {
    return source.length < threshold ? { whole: asBytes(source) } : { rest: source };
  }
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return { whole: head.length === 1 ? head[0]! : Buffer.concat(head, size) };
    const bytes = asBytes(next.value);
    head.push(bytes);
    size += bytes.length;
    if (size >= threshold) break;
  }
  return {
    rest: Readable.from(
      (async function* () {
        yield* head;
        for (;;) {
          const next = await iterator.next();
          if (next.done === true) return;
          yield next.value;
        }
      })(),
    ),
  };
}
