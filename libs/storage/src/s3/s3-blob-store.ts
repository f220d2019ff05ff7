import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';

import { Client, CopyDestinationOptions, CopySourceOptions, S3Error } from 'minio';

import type { Logger } from '@mailkeep/observability';

import { blobKey, type BlobLocation, segmentKey, validSegmentId, validTenantId } from '../blob-address.js';
import { blobInfo, blobRead } from '../blob-read.js';
import type { BlobDriver, BlobInfo, PutBlobResult } from '../blob-store.js';
import { asBytes, type BlobSource, chunksOf } from '../bytes.js';
import { BlobNotFoundError, SegmentNotFoundError } from '../errors.js';
import { idleTimeoutTransport } from './timeout-transport.js';

/**
 * Size of one multipart part, and so the memory a put holds (at most one part and a chunk). S3 needs at
 * least 5 MiB for every part but the last; 8 MiB is the AWS CLI's default, keeps ten concurrent
 * puts of a worker under 100 MiB, and with S3's 10,000-part limit allows 80 GiB per message.
 * A message that fits in one part (nearly all mail) is hashed before anything is sent and goes
 * up in a single PUT straight to its content address.
 */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** S3's minimum for every part but the last. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
/**
 * A request whose socket stays silent this long is abandoned. A minute is far above an S3 PUT's
 * time to first byte even under load, and short enough that a dead endpoint fails the put (which
 * the connector retries) instead of hanging a worker.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/**
 * Large messages go up to a temporary key first (the hash, and so the content address, is only
 * known at the end). One prefix for all tenants, so one bucket lifecycle rule ("expire `tmp/` after
 * a day, abort incomplete multipart uploads after a day") cleans up after a process that died mid-put.
 * A tenant id is a UUID, so it can never be `tmp`.
 */
const TMP_PREFIX = 'tmp/';
/** Stored with every blob: each one is a raw RFC 5322 message. */
const BLOB_METADATA = { 'Content-Type': 'message/rfc822' };
/** A segment is many messages and their index (decision 0020), not one message. */
const SEGMENT_METADATA = { 'Content-Type': 'application/octet-stream' };

export interface S3BlobStoreOptions {
  /** `http(s)://host[:port]` of the S3 API (MAILKEEP_S3_ENDPOINT). */
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Created on first use when missing. */
  readonly bucket: string;
  readonly region: string;
  /** Bytes per multipart part (≥ 5 MiB); `DEFAULT_PART_SIZE` unless a test needs smaller parts. */
  readonly partSize?: number;
  readonly idleTimeoutMs?: number;
  readonly logger?: Logger;
}

interface MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly etags: { part: number; etag: string }[];
}

/**
 * Blob store on an S3-compatible server (SPEC A2) through the `minio` client. It does its own
 * multipart upload, cutting parts off the chunks as they come, rather than `putObject(stream)`, which with an
 * unknown size picks 528 MiB parts, lists in-progress uploads first (s3rver cannot), turns even
 * a tiny message into a multipart upload, and never aborts an upload whose source failed
 * (docs/decisions/0004-blob-storage.md).
 */
export class S3BlobStore implements BlobDriver {
  readonly kind = 's3';
  readonly bucket: string;
  readonly partSize: number;
  private readonly client: Client;
  private bucketReady?: Promise<void>;

  constructor(private readonly options: S3BlobStoreOptions) {
    const url = new URL(options.endpoint);
    const useSSL = url.protocol === 'https:';
    this.bucket = options.bucket;
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    if (this.partSize < MIN_PART_SIZE)
      throw new RangeError(`S3 part size must be at least ${MIN_PART_SIZE} bytes`);
    this.client = new Client({
      endPoint: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      // Path-style (`host/bucket/key`) works with MinIO, Ceph, s3rver and AWS alike, without DNS per bucket.
      pathStyle: true,
      transport: idleTimeoutTransport(
        useSSL ? https : http,
        options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      ),
    });
  }

  async put(tenantId: string, source: BlobSource): Promise<PutBlobResult> {
    const tenant = validTenantId(tenantId);
    await this.ensureBucket();
    const hash = createHash('sha256');
    // Chunks wait here until a part is full: no part-sized buffer for the many small messages
    // (allocating 8 MiB per put made every small put pay for it, in allocation and in GC).
    const pending = new PendingBytes();
    let size = 0;
    let upload: MultipartUpload | undefined;
    let completed = false;
    try {
      for await (const chunk of chunksOf(source)) {
        const bytes = asBytes(chunk);
        hash.update(bytes);
        size += bytes.length;
        pending.push(bytes);
        // A full part is sent only once more bytes arrive, so a message of exactly one part
        // still takes the single-PUT path.
        while (pending.length > this.partSize) {
          upload ??= await this.startUpload();
          await this.uploadPart(upload, pending.take(this.partSize));
        }
      }
      const sha256 = hash.digest('hex');
      const key = blobKey({ tenantId: tenant, sha256 });
      const exists = (await this.statKey(key)) !== undefined;

      if (upload === undefined) {
        if (exists) return { sha256, size, created: false };
        // The hash is known before anything is sent: one PUT straight to the content address.
        await this.client.putObject(this.bucket, key, pending.take(size), size, BLOB_METADATA);
        return { sha256, size, created: true };
      }
      if (exists) {
        await this.abortUpload(upload);
        return { sha256, size, created: false };
      }
      await this.uploadPart(upload, pending.take(pending.length));
      await this.client.completeMultipartUpload(this.bucket, upload.key, upload.uploadId, upload.etags);
      completed = true;
      try {
        await this.client.copyObject(
          new CopySourceOptions({ Bucket: this.bucket, Object: upload.key }),
          new CopyDestinationOptions({ Bucket: this.bucket, Object: key }),
        );
      } catch (err) {
        // A concurrent put of the same content may have won the race (s3rver even answers 500 to
        // two copies onto one key); the address is content-derived, so a blob there is this one.
        if ((await this.statKey(key)) === size) return { sha256, size, created: false };
        throw err;
      }
      return { sha256, size, created: true };
    } catch (err) {
      if (upload !== undefined && !completed) await this.abortUpload(upload);
      throw err;
    } finally {
      if (completed && upload !== undefined) await this.removeTemporary(upload.key);
    }
  }

  async get(tenantId: string, sha256: string, location?: BlobLocation): Promise<Readable> {
    const { address, key, range } = blobRead(tenantId, sha256, location);
    try {
      if (range === undefined) return await this.client.getObject(this.bucket, key);
      // minio reads "length 0" as "to the end": an empty message is answered without a request.
      if (range.size === 0) {
        await this.client.statObject(this.bucket, key);
        return Readable.from([]);
      }
      // A ranged GET: exactly the message's bytes, never the whole segment.
      return await this.client.getPartialObject(this.bucket, key, range.offset, range.size);
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(address.tenantId, address.sha256);
      throw err;
    }
  }

  async stat(tenantId: string, sha256: string, location?: BlobLocation): Promise<BlobInfo | undefined> {
    const read = blobRead(tenantId, sha256, location);
    const size = await this.statKey(read.key);
    return size === undefined ? undefined : blobInfo(read, size);
  }

  async writeSegment(tenantId: string, segmentId: string, chunks: readonly Buffer[]): Promise<void> {
    const key = segmentKey(validTenantId(tenantId), validSegmentId(segmentId));
    await this.ensureBucket();
    // One PUT of the whole segment: a segment is at most MAILKEEP_SEGMENT_MAX_BYTES and one message,
    // already in memory; segment ids are new UUIDs, so nothing to look up first.
    const body = Buffer.concat(chunks);
    await this.client.putObject(this.bucket, key, body, body.length, SEGMENT_METADATA);
  }

  async readSegment(tenantId: string, segmentId: string): Promise<Buffer> {
    const tenant = validTenantId(tenantId);
    const id = validSegmentId(segmentId);
    let stream: Readable;
    try {
      stream = await this.client.getObject(this.bucket, segmentKey(tenant, id));
    } catch (err) {
      if (isMissing(err)) throw new SegmentNotFoundError(tenant, id);
      throw err;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async check(): Promise<void> {
    await this.ensureBucket();
    if (!(await this.client.bucketExists(this.bucket)))
      throw new Error(`S3 bucket ${this.bucket} does not exist`);
  }

  /** Size of an object, or `undefined` when there is none. */
  private async statKey(key: string): Promise<number | undefined> {
    try {
      return (await this.client.statObject(this.bucket, key)).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /** Creates the bucket when missing, once per process (again after a failure). */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      if (await this.client.bucketExists(this.bucket)) return;
      try {
        await this.client.makeBucket(this.bucket, this.options.region);
      } catch (err) {
        // Another process (another worker starting at the same moment) created it in the meantime.
        // Servers say so differently (MinIO and AWS: BucketAlreadyOwnedByYou; s3rver:
        // BucketAlreadyExists, which AWS uses for someone else's bucket), so ask again: it is
        // fine if the bucket is there and ours to use.
        const raced = err instanceof S3Error && /^BucketAlready(OwnedByYou|Exists)$/.test(err.code ?? '');
        if (!raced || !(await this.client.bucketExists(this.bucket))) throw err;
      }
    })().catch((err: unknown) => {
      this.bucketReady = undefined;
      throw err;
    });
    return this.bucketReady;
  }

  private async startUpload(): Promise<MultipartUpload> {
    const key = `${TMP_PREFIX}${randomUUID()}`;
    const uploadId = await this.client.initiateNewMultipartUpload(this.bucket, key, { ...BLOB_METADATA });
    return { key, uploadId, etags: [] };
  }

  private async uploadPart(upload: MultipartUpload, payload: Buffer): Promise<void> {
    const part = upload.etags.length + 1;
    const { etag } = await this.client.uploadPart(
      {
        bucketName: this.bucket,
        objectName: upload.key,
        uploadID: upload.uploadId,
        partNumber: part,
        headers: {},
      },
      payload,
    );
    upload.etags.push({ part, etag });
  }

  /**
   * Best effort: the put's own outcome matters more than the clean-up. An upload left behind is
   * invisible to readers and removed by the bucket's AbortIncompleteMultipartUpload lifecycle rule
   * (s3rver does not implement abort at all: it answers 405).
   */
  private async abortUpload(upload: MultipartUpload): Promise<void> {
    try {
      await this.client.abortMultipartUpload(this.bucket, upload.key, upload.uploadId);
    } catch (err) {
      this.options.logger?.warn('could not abort a temporary multipart upload', {
        key: upload.key,
        error: String(err),
      });
    }
  }

  private async removeTemporary(key: string): Promise<void> {
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (err) {
      this.options.logger?.warn('could not remove a temporary blob object', { key, error: String(err) });
    }
  }
}

function isMissing(err: unknown): boolean {
  return err instanceof S3Error && (err.code === 'NoSuchKey' || err.code === 'NotFound');
}

/**
 * The bytes of a put not yet sent: chunks kept as the source handed them over (a stream never
 * reuses a chunk it emitted), copied once, into the part, when a part is cut off the front.
 */
class PendingBytes {
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** The first `count` bytes (at most `length`) as one buffer, removed from the front. */
  take(count: number): Buffer {
    const taken: Buffer[] = [];
    let needed = count;
    while (needed > 0) {
      const first = this.chunks[0] as Buffer;
      if (first.length <= needed) {
        taken.push(first);
        this.chunks.shift();
        needed -= first.length;
      } else {
        taken.push(first.subarray(0, needed));
        this.chunks[0] = first.subarray(needed);
        needed = 0;
      }
    }
    this.length -= count;
    return taken.length === 1 ? (taken[0] as Buffer) : Buffer.concat(taken, count);
  }
}
