import { createHash } from 'node:crypto';
import { pipeline, type Readable, Transform } from 'node:stream';

import { ContractError, MESSAGE_ARCHIVED_V1, type MessageArchivedEvent } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import type { BlobLocation, BlobStore, PutBlobResult } from '@mailkeep/storage';

import {
  DEFAULT_HEADER_LIMIT_BYTES,
  HeaderReader,
  type HeaderReadResult,
  type RawHeaders,
  readHeaders,
} from '../headers/header-reader.js';
import type { ConnectorMetrics } from '../metrics.js';
import { type CategorisedError, categorise, DEFAULT_STREAM_IDLE_TIMEOUT_MS } from '../policy/policy.js';

export interface ArchiveMessageInput {
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly runId: string;
  readonly taskId: string;
  /** Stable per message per mailbox, e.g. `imap:<folder>:<uidvalidity>:<uid>`. */
  readonly sourceIdentity: string;
  /** Decoded folder path with `/`; empty where the protocol has none. */
  readonly folder: string;
  /** Every folder or label of the message, `folder` first, where the source has several (Gmail). */
  readonly folders?: readonly string[];
  /**
   * The raw message as the server sends it: a stream, consumed once and never buffered whole, or
   * the bytes of a small message that arrived whole (a fetched range), stored as they are.
   */
  readonly source: Readable | Buffer;
  /** The folder is archived again after the source renumbered it (see MessageArchivedEvent.rescan). */
  readonly rescan?: boolean;
  /** The task was delivered before: a duplicate may be what its earlier attempt archived. */
  readonly redelivered?: boolean;
}

export type ArchiveMessageResult =
  | {
      readonly ok: true;
      readonly sourceIdentity: string;
      readonly sha256: string;
      readonly size: number;
      /** The blob was new for the tenant. */
      readonly created: boolean;
      /** The segment and offset of its bytes, when it was stored in a segment (decision 0020). */
      readonly location?: BlobLocation;
      /**
       * The stream already had this event (same Nats-Msg-Id): archived before. On a redelivered
       * task, not what an earlier attempt of the task archived (issue 17 item 8): the event's
       * origin is the task id, and the bus tells its own sends apart.
       */
      readonly duplicate: boolean;
      readonly headers: RawHeaders;
    }
  | {
      readonly ok: false;
      readonly sourceIdentity: string;
      /** Where it failed: reading the source, storing the blob, or publishing the event. */
      readonly stage: 'source' | 'storage' | 'publish';
      readonly error: CategorisedError;
    };

export interface MessageArchiverOptions {
  readonly bus: MessageBus;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  readonly metrics?: ConnectorMetrics;
  readonly headerLimitBytes?: number;
  /** Longest pause between two chunks of the source (DEFAULT_STREAM_IDLE_TIMEOUT_MS). */
  readonly idleTimeoutMs?: number;
  /** How long an archived event is sent again while NATS is away (DEFAULT_PUBLISH_RETRY_MS). */
  readonly publishRetryMs?: number;
}

/**
 * How long a message's archived event is resent while NATS does not ack it. A restarted
 * nats-server is back within seconds and clients reconnect every 2 s; a minute covers that and a
 * slow JetStream recovery, while the blob is already stored and only the event is missing.
 */
export const DEFAULT_PUBLISH_RETRY_MS = 60_000;

/**
 * The `Nats-Msg-Id` of a message's archived event: the same message of the same mailbox always
 * gets the same id, so a re-archived message is dropped by the stream's duplicate window, and a
 * later one by the catalog's unique key. Hashed because source identities hold arbitrary folder
 * names and may be long.
 */
export function archivedEventMsgId(tenantId: string, mailboxId: string, sourceIdentity: string): string {
  const digest = createHash('sha256').update(`${tenantId}\0${mailboxId}\0${sourceIdentity}`).digest('hex');
  return `archived-${digest}`;
}

/**
 * Archives one message: streams the source through the header reader into the blob store (which
 * hashes on the way), then publishes `archive.evt.message.archived.v1` and waits for the stream's
 * ack. Never throws for a failure of the message itself: it returns it, categorised, so the caller
 * records it and goes on with the next message (SPEC C4).
 */
export function createMessageArchiver(options: MessageArchiverOptions) {
  const headerLimit = options.headerLimitBytes ?? DEFAULT_HEADER_LIMIT_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;

  return async function archiveMessage(input: ArchiveMessageInput): Promise<ArchiveMessageResult> {
    const { sourceIdentity } = input;
    const stored = await (Buffer.isBuffer(input.source)
      ? storeBuffer(input.tenantId, input.source)
      : storeStream(input.tenantId, input.source, sourceIdentity));
    if (!stored.ok) return failure(sourceIdentity, stored.stage, stored.error);
    const { blob, read } = stored;
    const { headers, truncated } = read;
    if (truncated) {
      options.logger.warn('header block longer than the limit; headers read up to it', {
        sourceIdentity,
        limitBytes: headerLimit,
      });
    }
    const event: MessageArchivedEvent = {
      tenantId: input.tenantId,
      mailboxId: input.mailboxId,
      runId: input.runId,
      taskId: input.taskId,
      sourceIdentity,
      folder: input.folder,
      ...(input.folders && input.folders.length > 0 && { folders: [...input.folders] }),
      sha256: blob.sha256,
      size: blob.size,
      created: blob.created,
      // Where the bytes live when they went into a segment; the put resolved only once it was
      // durable, so this event (and the cursor after it) never gets ahead of the storage.
      ...(blob.location && { segmentId: blob.location.segmentId, segmentOffset: blob.location.offset }),
      ...headers,
      ...(input.rescan && { rescan: true }),
      archivedAt: new Date().toISOString(),
    };
    let duplicate: boolean;
    try {
      const ack = await options.bus.publish(MESSAGE_ARCHIVED_V1, event, {
        msgId: archivedEventMsgId(input.tenantId, input.mailboxId, sourceIdentity),
        retryForMs: options.publishRetryMs ?? DEFAULT_PUBLISH_RETRY_MS,
        origin: input.taskId,
        originMayRepeat: input.redelivered === true,
      });
      duplicate = ack.duplicate;
    } catch (error) {
      return failure(sourceIdentity, 'publish', error);
    }
    options.metrics?.archived(blob.size, blob.created, duplicate);
    return {
      ok: true,
      sourceIdentity,
      sha256: blob.sha256,
      size: blob.size,
      created: blob.created,
      ...(blob.location && { location: blob.location }),
      duplicate,
      headers,
    };
  };

  /**
   * A message already in memory: headers read from the buffer and the buffer put as it is. The
   * streams of storeStream cost ~150 µs of CPU per message here, 20 times the hashing of a 4 KB one.
   */
  async function storeBuffer(tenantId: string, message: Buffer): Promise<Stored> {
    try {
      const blob = await options.blobs.put(tenantId, message);
      return { ok: true, blob, read: readHeaders(message, headerLimit) };
    } catch (error) {
      return { ok: false, stage: 'storage', error };
    }
  }

  /** A streamed message: through the idle watchdog and the header reader into the blob store. */
  async function storeStream(tenantId: string, source: Readable, sourceIdentity: string): Promise<Stored> {
    const reader = new HeaderReader(headerLimit);
    let sourceError: unknown;
    const watchdog = idleWatchdog(idleTimeoutMs, sourceIdentity);
    // Only errors of the source (or its stall) make a "source" failure; anything else is storage's.
    source.once('error', (error) => (sourceError ??= error));
    watchdog.once('error', (error) => (sourceError ??= error));
    // pipeline() destroys the reader with the source's error, so the put fails and cleans up; the
    // put's own rejection reports the outcome, so the callback has nothing to add.
    const stream = pipeline(source, watchdog, reader, () => undefined);
    try {
      const blob = await options.blobs.put(tenantId, stream);
      return { ok: true, blob, read: await reader.result };
    } catch (error) {
      source.destroy();
      return sourceError === undefined
        ? { ok: false, stage: 'storage', error }
        : { ok: false, stage: 'source', error: sourceError };
    } finally {
      watchdog.stop();
    }
  }

  function failure(
    sourceIdentity: string,
    stage: 'source' | 'storage' | 'publish',
    error: unknown,
  ): ArchiveMessageResult {
    const categorised = categorise(error);
    options.metrics?.failed(categorised.category);
    options.logger.warn('message not archived', {
      sourceIdentity,
      stage,
      category: categorised.category,
      error: categorised.message,
    });
    return { ok: false, sourceIdentity, stage, error: categorised };
  }
}

export type MessageArchiver = ReturnType<typeof createMessageArchiver>;

/** A message stored, with its headers; or where and why it was not. */
type Stored =
  | { readonly ok: true; readonly blob: PutBlobResult; readonly read: HeaderReadResult }
  | { readonly ok: false; readonly stage: 'source' | 'storage'; readonly error: unknown };

/** A pass-through that fails the stream when no chunk arrives for `ms` (a stalled download). */
function idleWatchdog(ms: number, sourceIdentity: string): Transform & { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      arm();
      callback(null, chunk);
    },
    flush(callback) {
      clearTimeout(timer);
      callback();
    },
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stream.destroy(
        new ContractError('TIMEOUT', `No data from the source for ${ms} ms (${sourceIdentity})`, {
          reason: 'timeout',
        }),
      );
    }, ms);
  };
  arm();
  return Object.assign(stream, { stop: () => clearTimeout(timer) });
}
