import type { BlobSource, BlobStore, PutBlobResult } from '@mailkeep/storage';

/**
 * A real blob store whose next puts for a tenant fail as a storage outage would (EIO), then work
 * again: what the connectors' integration tests use to show that a failure of our own storage
 * holds the cursor and the retried task archives what was missed (C2).
 */
export class FlakyBlobStore implements BlobStore {
  readonly kind: BlobStore['kind'];
  private readonly failures = new Map<string, number>();

  constructor(private readonly inner: BlobStore) {
    this.kind = inner.kind;
  }

  failNext(tenantId: string, puts: number): void {
    this.failures.set(tenantId, puts);
  }

  async put(tenantId: string, source: BlobSource): Promise<PutBlobResult> {
    const left = this.failures.get(tenantId) ?? 0;
    if (left > 0) {
      this.failures.set(tenantId, left - 1);
      if (!(source instanceof Uint8Array)) source.resume();
      throw Object.assign(new Error('injected storage fault'), { code: 'EIO' });
    }
    return this.inner.put(tenantId, source);
  }

  get: BlobStore['get'] = (tenantId, sha256) => this.inner.get(tenantId, sha256);
  stat: BlobStore['stat'] = (tenantId, sha256) => this.inner.stat(tenantId, sha256);
  check: BlobStore['check'] = () => this.inner.check();
}

/** A stored blob's bytes, whole (test messages are small, or compared once). */
export async function readBlob(blobs: BlobStore, tenantId: string, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.get(tenantId, sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
