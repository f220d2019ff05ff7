import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';

import type { Logger } from '@mailkeep/observability';

import { blobKey, type BlobLocation, segmentKey, validSegmentId, validTenantId } from '../blob-address.js';
import { blobInfo, blobRead } from '../blob-read.js';
import type { BlobDriver, BlobInfo, PutBlobResult } from '../blob-store.js';
import { asBytes, type BlobSource, chunksOf } from '../bytes.js';
import { BlobNotFoundError, SegmentNotFoundError } from '../errors.js';

/** Temporary files live in the same tree as the blobs, so `rename` into place is atomic (one filesystem). */
const TMP_DIR = 'tmp';
/** Suffix of a temporary file; the sweep removes only these. */
const TMP_SUFFIX = '.part';
/** Archived mail is private: owner-only files and directories (the service's own user reads them). */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/**
 * A temporary file untouched for an hour belongs to a process that died mid-put (an in-flight put
 * writes continuously and finishes in seconds); the first put or check of a process removes those.
 * Several processes may share the directory, so younger files are left alone.
 */
const STALE_TMP_AGE_MS = 60 * 60 * 1000;
/**
 * Blob directories this process knows exist (created or seen), so a put skips `mkdir -p`: a tenant
 * has at most 65,536 of them. Past this many entries (several busy tenants) the set starts over,
 * which costs one `mkdir` per directory again, never correctness.
 */
const KNOWN_DIRECTORIES_MAX = 200_000;
/** Read chunk for `get`: 64 KiB, Node's default for file streams, bounded memory per download. */
const READ_CHUNK_BYTES = 64 * 1024;
/**
 * A put writes once this many bytes have come (and at the end): one write per 1 MiB of a large
 * message whatever the source's chunk size, and at most this much held per put beyond one chunk.
 */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** ... or this many chunks (Linux's IOV_MAX: one `writev` system call takes at most 1,024). */
const WRITE_BATCH_CHUNKS = 1024;

export interface FilesystemBlobStoreOptions {
  /** Directory that holds the store, `<MAILKEEP_DATA_DIR>/blobs`; created when missing. */
  readonly root: string;
  readonly logger?: Logger;
}

/**
 * Blob store on a local filesystem (SPEC A2): each put streams into a temporary file while hashing,
 * fsyncs it, renames it to its content address and fsyncs the directory, so a crash leaves either
 * the whole blob or none. Memory per put is one source chunk.
 */
export class FilesystemBlobStore implements BlobDriver {
  readonly kind = 'filesystem';
  readonly root: string;
  private readonly tmpDir: string;
  private prepared?: Promise<void>;
  private readonly knownDirectories = new Set<string>();

  constructor(private readonly options: FilesystemBlobStoreOptions) {
    this.root = resolve(options.root);
    this.tmpDir = join(this.root, TMP_DIR);
  }

  async put(tenantId: string, source: BlobSource): Promise<PutBlobResult> {
    const tenant = validTenantId(tenantId);
    await this.prepare();
    const tmpPath = join(this.tmpDir, `${randomUUID()}${TMP_SUFFIX}`);
    const handle = await open(tmpPath, 'wx', FILE_MODE);
    let handleOpen = true;
    let renamed = false;
    try {
      const hash = createHash('sha256');
      let size = 0;
      // Chunks are written in batches: a socket's 16 KiB chunks one write each made a 10 MB
      // message 640 thread-pool round trips.
      let batch: Buffer[] = [];
      let batchBytes = 0;
      for await (const chunk of chunksOf(source)) {
        const bytes = asBytes(chunk);
        hash.update(bytes);
        size += bytes.length;
        batch.push(bytes);
        batchBytes += bytes.length;
        if (batchBytes >= WRITE_BATCH_BYTES || batch.length >= WRITE_BATCH_CHUNKS) {
          await writeFully(handle, batch);
          batch = [];
          batchBytes = 0;
        }
      }
      await writeFully(handle, batch);
      await handle.sync();
      await handle.close();
      handleOpen = false;

      const sha256 = hash.digest('hex');
      const target = this.pathOf(tenant, sha256);
      // Write-once: the content is already there, so the temporary copy is dropped (finally).
      if (await isFile(target)) return { sha256, size, created: false };
      await this.mkdirDurably(dirname(target));
      // Two concurrent puts of the same content may both get here; the second rename atomically
      // replaces an identical file, so readers always see a complete blob either way.
      await this.renameIntoPlace(tmpPath, target);
      renamed = true;
      await fsyncDirectory(dirname(target));
      return { sha256, size, created: true };
    } finally {
      if (handleOpen) await handle.close().catch(() => undefined);
      if (!renamed) await rm(tmpPath, { force: true });
    }
  }

  async get(tenantId: string, sha256: string, location?: BlobLocation): Promise<Readable> {
    const { address, key, range } = blobRead(tenantId, sha256, location);
    let handle: FileHandle;
    try {
      handle = await open(join(this.root, key), 'r');
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(address.tenantId, address.sha256);
      throw err;
    }
    if (range === undefined) {
      // The stream owns the handle and closes it at the end, on error and on destroy.
      return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
    }
    if (range.size === 0) {
      await handle.close();
      return Readable.from([]);
    }
    // `end` is inclusive: exactly the message's bytes, never its neighbours'.
    return handle.createReadStream({
      start: range.offset,
      end: range.offset + range.size - 1,
      highWaterMark: READ_CHUNK_BYTES,
    });
  }

  async stat(tenantId: string, sha256: string, location?: BlobLocation): Promise<BlobInfo | undefined> {
    const read = blobRead(tenantId, sha256, location);
    try {
      const info = await stat(join(this.root, read.key));
      return info.isFile() ? blobInfo(read, info.size) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async writeSegment(tenantId: string, segmentId: string, chunks: readonly Buffer[]): Promise<void> {
    const tenant = validTenantId(tenantId);
    const id = validSegmentId(segmentId);
    await this.prepare();
    const tmpPath = join(this.tmpDir, `${randomUUID()}${TMP_SUFFIX}`);
    const target = join(this.root, segmentKey(tenant, id));
    let renamed = false;
    try {
      const handle = await open(tmpPath, 'wx', FILE_MODE);
      try {
        // One writev per IOV_MAX buffers: a segment of 4,000 small messages is four system calls.
        for (let start = 0; start < chunks.length; start += WRITE_BATCH_CHUNKS) {
          await writeFully(handle, chunks.slice(start, start + WRITE_BATCH_CHUNKS));
        }
        // The one fsync of the whole segment: this is what group commit saves per message.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.mkdirDurably(dirname(target));
      await this.renameIntoPlace(tmpPath, target);
      renamed = true;
      await fsyncDirectory(dirname(target));
    } finally {
      if (!renamed) await rm(tmpPath, { force: true });
    }
  }

  async readSegment(tenantId: string, segmentId: string): Promise<Buffer> {
    const tenant = validTenantId(tenantId);
    const id = validSegmentId(segmentId);
    try {
      return await readFile(join(this.root, segmentKey(tenant, id)));
    } catch (err) {
      if (isNotFound(err)) throw new SegmentNotFoundError(tenant, id);
      throw err;
    }
  }

  async check(): Promise<void> {
    await this.prepare();
    await access(this.tmpDir, constants.W_OK);
  }

  /** The path of a blob; both parts are validated before they get here. */
  private pathOf(tenantId: string, sha256: string): string {
    return join(this.root, blobKey({ tenantId, sha256 }));
  }

  /** Creates the root and temporary directories once per process and sweeps stale temporary files. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await mkdir(this.tmpDir, { recursive: true, mode: DIR_MODE });
      await this.sweepStaleTemporaryFiles();
    })().catch((err: unknown) => {
      this.prepared = undefined;
      throw err;
    });
    return this.prepared;
  }

  private async sweepStaleTemporaryFiles(): Promise<void> {
    const cutoff = Date.now() - STALE_TMP_AGE_MS;
    for (const name of await readdir(this.tmpDir)) {
      if (!name.endsWith(TMP_SUFFIX)) continue;
      const path = join(this.tmpDir, name);
      try {
        if ((await stat(path)).mtimeMs < cutoff) {
          await rm(path, { force: true });
          this.options.logger?.warn('removed a stale temporary blob file', { path });
        }
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /**
   * Renames the finished temporary file to its address. A directory removed behind this process's
   * back (by hand, by a restore) is forgotten and created again, once.
   */
  private async renameIntoPlace(tmpPath: string, target: string): Promise<void> {
    try {
      await rename(tmpPath, target);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.knownDirectories.delete(dirname(target));
      await this.mkdirDurably(dirname(target));
      await rename(tmpPath, target);
    }
  }

  /**
   * `mkdir -p`, then fsync the parent of every directory it created, so the new directory entries
   * survive a crash together with the blob renamed into them.
   */
  private async mkdirDurably(dir: string): Promise<void> {
    if (this.knownDirectories.has(dir)) return;
    const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
    if (first !== undefined) {
      for (let current = dir; ; current = dirname(current)) {
        await fsyncDirectory(dirname(current));
        if (current === first || dirname(current) === current) break;
      }
    }
    if (this.knownDirectories.size >= KNOWN_DIRECTORIES_MAX) this.knownDirectories.clear();
    this.knownDirectories.add(dir);
  }
}

/** `FileHandle.writev` may write less than asked; loop until every byte is in the file. */
async function writeFully(handle: FileHandle, buffers: readonly Buffer[]): Promise<void> {
  let left = buffers.filter((buffer) => buffer.length > 0);
  while (left.length > 0) {
    let { bytesWritten } = await handle.writev(left);
    // Drop what was written: whole buffers, then the written front of the next one.
    while (left.length > 0 && bytesWritten >= (left[0] as Buffer).length) {
      bytesWritten -= (left[0] as Buffer).length;
      left = left.slice(1);
    }
    if (bytesWritten > 0) left[0] = (left[0] as Buffer).subarray(bytesWritten);
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
