import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { BlobNotFoundError, type BlobStore } from '@mailkeep/storage';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';

import { blobLocation } from '../blobs/blob-location.js';
import { BLOB_STORE } from '../tokens.js';
import {
  type ContentToSave,
  HEADER_PREFIX_BYTES,
  messageContent,
  TEXT_EXTRACTOR_VERSION,
  tooLargeToExtract,
} from './message-content.js';
import { contentKey, type QueuedMessage, TextIndexRepository } from './text-index.repository.js';

/** Messages claimed per transaction. */
const BATCH_MESSAGES = 16;
/** Blobs read and extracted at once (extraction is CPU work on the catalog's event loop). */
const EXTRACT_CONCURRENCY = 4;
/** Distinct blobs re-indexed per step of a re-index (the step and its position commit together). */
const REINDEX_PAGE_BLOBS = 32;
/** Pause when there is nothing to do; new messages wait at most this long for their text. */
const IDLE_POLL_MS = 250;
/** Pause after a database error before trying again. */
const ERROR_BACKOFF_MS = 2_000;

/**
 * The text indexer (issue 23): a loop in each catalog process that takes messages waiting for
 * their text (`text_state = 0`, newly catalogued or catalogued before this indexer existed), reads
 * their blobs, extracts text (message-content.ts) and stores it once per blob and tenant, then
 * writes the full text vector into every row of that blob. Messages are claimed with SKIP LOCKED
 * in small batches, so replicas share the work and a crash only returns the batch to the queue.
 * The ingest path is untouched: catalogue rows are written at the event rate, text follows.
 *
 * When no new message waits, it works on requested re-indexes, one page of a tenant's distinct
 * blobs at a time in hash order, committing the position with the page (resumable).
 */
@Injectable()
export class TextIndexer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly logger: Logger;
  private readonly indexed: Counter<'result'>;

  constructor(
    private readonly repository: TextIndexRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
    this.indexed = context.metrics.counter({
      name: 'mailkeep_catalog_texts_indexed_total',
      help: 'Message blobs whose text the catalog extracted; result=indexed|unindexed_attachments|unreadable',
      labelNames: ['result'],
    });
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        const worked = (await this.indexQueued()) || (await this.reindexStep());
        if (!worked) await sleep(IDLE_POLL_MS, undefined, { signal });
      } catch (error) {
        if (signal.aborted) break;
        this.logger.error('text indexing failed; retrying', { error });
        await sleep(ERROR_BACKOFF_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /** One batch of the queue; false when it was empty. */
  private indexQueued(): Promise<boolean> {
    return this.repository.transaction(async (manager) => {
      const messages = await this.repository.claimQueued(manager, BATCH_MESSAGES);
      if (messages.length === 0) return false;
      const known = await this.repository.extracted(manager, messages, TEXT_EXTRACTOR_VERSION);
      const blobs = new Map<string, QueuedMessage>();
      for (const message of messages) {
        const key = contentKey(message.tenant_id, message.sha256);
        if (!known.has(key)) blobs.set(key, message);
      }
      const unreadable = new Set(await this.extractAll(manager, [...blobs.values()]));
      const unreadableIds = messages
        .filter((message) => unreadable.has(contentKey(message.tenant_id, message.sha256)))
        .map((message) => message.id);
      const readIds = messages.map((message) => message.id).filter((id) => !unreadableIds.includes(id));
      if (unreadableIds.length > 0) await this.repository.markUnreadable(manager, unreadableIds);
      if (readIds.length > 0) {
        await this.repository.applyContent(manager, TEXT_EXTRACTOR_VERSION, 'm.id = ANY($1::uuid[])', [
          readIds,
        ]);
      }
      return true;
    });
  }

  /** One page of the oldest running re-index; false when none is running. */
  private reindexStep(): Promise<boolean> {
    return this.repository.transaction(async (manager) => {
      const reindex = await this.repository.claimReindex(manager);
      if (!reindex) return false;
      const tenantId = reindex.tenant_id;
      const page = await this.repository.nextBlobs(manager, tenantId, reindex.position, REINDEX_PAGE_BLOBS);
      if (page.length === 0) {
        await this.repository.finishReindex(manager, tenantId);
        this.logger.info('text re-index finished', { tenantId, blobs: reindex.done });
        return true;
      }
      const blobs = page.map((blob) => ({
        id: '',
        tenant_id: tenantId,
        sha256: blob.sha256,
        size: blob.size,
        segment_id: blob.segment_id,
        segment_offset: blob.segment_offset,
      }));
      const unreadable = await this.extractAll(manager, blobs);
      const read = page
        .map((blob) => blob.sha256)
        .filter((sha) => !unreadable.includes(contentKey(tenantId, sha)));
      await this.repository.applyContent(
        manager,
        TEXT_EXTRACTOR_VERSION,
        'm.tenant_id = $1 AND m.sha256 = ANY($2::text[])',
        [tenantId, read],
      );
      await this.repository.advanceReindex(manager, tenantId, page[page.length - 1]!.sha256, page.length);
      return true;
    });
  }

  /** Extracts and saves the content of each blob; resolves with the keys of blobs that could not be read. */
  private async extractAll(manager: EntityManager, blobs: readonly QueuedMessage[]): Promise<string[]> {
    const unreadable: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < blobs.length) {
        const blob = blobs[next++]!;
        const content = await this.extract(blob);
        if (!content) {
          unreadable.push(contentKey(blob.tenant_id, blob.sha256));
          continue;
        }
        await this.repository.saveContent(
          manager,
          blob.tenant_id,
          blob.sha256,
          TEXT_EXTRACTOR_VERSION,
          content,
        );
      }
    };
    // One connection serves the transaction: saves are queued on it, extraction runs in parallel.
    await Promise.all(Array.from({ length: Math.min(EXTRACT_CONCURRENCY, blobs.length) }, worker));
    return unreadable;
  }

  /** The blob's content, or undefined when the store cannot give its bytes. */
  private async extract(blob: QueuedMessage): Promise<ContentToSave | undefined> {
    const complete = !tooLargeToExtract(Number(blob.size));
    let raw: Buffer;
    try {
      raw = await this.read(blob, complete ? Infinity : HEADER_PREFIX_BYTES);
    } catch (error) {
      this.indexed.inc({ result: 'unreadable' });
      const missing = error instanceof BlobNotFoundError;
      this.logger.warn('message blob unreadable for text indexing', { sha256: blob.sha256, missing, error });
      return undefined;
    }
    const content = await messageContent(raw, complete);
    this.indexed.inc({ result: content.unindexedAttachments ? 'unindexed_attachments' : 'indexed' });
    return content;
  }

  private async read(blob: QueuedMessage, maxBytes: number): Promise<Buffer> {
    const stream = await this.blobs.get(blob.tenant_id, blob.sha256, blobLocation(blob));
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxBytes) break;
      }
    } finally {
      stream.destroy();
    }
    return Buffer.concat(chunks);
  }
}
