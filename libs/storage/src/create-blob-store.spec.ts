import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createBlobStore } from './create-blob-store.js';
import { FilesystemBlobStore } from './filesystem/filesystem-blob-store.js';
import { DEFAULT_PART_SIZE, S3BlobStore } from './s3/s3-blob-store.js';
import { SegmentedBlobStore } from './segments/segmented-blob-store.js';

const BASE = {
  MAILKEEP_S3_BUCKET: 'mailkeep',
  MAILKEEP_S3_REGION: 'us-east-1',
  MAILKEEP_DATA_DIR: '/var/lib/mailkeep',
};

describe('createBlobStore', () => {
  it('stores blobs under <MAILKEEP_DATA_DIR>/blobs when no S3 endpoint is set (SPEC O1)', () => {
    const store = createBlobStore(BASE);
    expect(store).toBeInstanceOf(FilesystemBlobStore);
    expect((store as FilesystemBlobStore).root).toBe(join('/var/lib/mailkeep', 'blobs'));
  });

  it('uses S3 when MAILKEEP_S3_ENDPOINT is set', () => {
    const store = createBlobStore({
      ...BASE,
      MAILKEEP_S3_ENDPOINT: 'http://127.0.0.1:9000',
      MAILKEEP_S3_ACCESS_KEY: 'access',
      MAILKEEP_S3_SECRET_KEY: 'secret',
      MAILKEEP_S3_BUCKET: 'archive',
    });
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store.kind).toBe('s3');
    expect((store as S3BlobStore).bucket).toBe('archive');
    expect((store as S3BlobStore).partSize).toBe(DEFAULT_PART_SIZE);
  });

  it('writes small messages through segments when a segment threshold is configured (decision 0020)', () => {
    const store = createBlobStore({ ...BASE, MAILKEEP_SEGMENT_THRESHOLD_BYTES: 256 * 1024 });
    expect(store).toBeInstanceOf(SegmentedBlobStore);
    expect((store as SegmentedBlobStore).driver).toBeInstanceOf(FilesystemBlobStore);
    expect(store.kind).toBe('filesystem');
    // 0 turns segments off; readers (no segment settings at all) get the driver alone.
    expect(createBlobStore({ ...BASE, MAILKEEP_SEGMENT_THRESHOLD_BYTES: 0 })).toBeInstanceOf(
      FilesystemBlobStore,
    );
  });

  it('refuses an S3 endpoint without keys', () => {
    expect(() => createBlobStore({ ...BASE, MAILKEEP_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(
      /MAILKEEP_S3_ACCESS_KEY/,
    );
  });

  it('refuses a part size S3 would reject', () => {
    const options = {
      endpoint: 'http://127.0.0.1:9000',
      accessKey: 'a',
      secretKey: 's',
      bucket: 'b-1',
      region: 'r',
    };
    expect(() => new S3BlobStore({ ...options, partSize: 1024 * 1024 })).toThrow(RangeError);
  });
});
