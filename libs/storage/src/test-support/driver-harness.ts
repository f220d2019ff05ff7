import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'minio';

import { startS3rver, type RunningS3rver } from '@mailkeep/testing';

import type { BlobDriver } from '../blob-store.js';
import { FilesystemBlobStore } from '../filesystem/filesystem-blob-store.js';
import { S3BlobStore } from '../s3/s3-blob-store.js';

/** The bucket every S3 harness writes to (each harness has its own s3rver). */
export const HARNESS_BUCKET = 'mailkeep-test';

/** A driver on a real backend, and a view of that backend that goes around the driver. */
export interface DriverHarness {
  readonly driver: BlobDriver;
  /** Every stored file or object, relative to the root / bucket, temporaries included. */
  listAll(): Promise<string[]>;
  /** The bytes the backend holds for a key, read without going through the driver. */
  rawBytes(key: string): Promise<Buffer>;
  /** Overwrites the backend's bytes of a key behind the driver's back (a damaged disk). */
  damage(key: string, bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** The filesystem driver in a fresh temporary directory. */
export async function filesystemHarness(): Promise<DriverHarness & { root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'mailkeep-blobs-'));
  return {
    root,
    driver: new FilesystemBlobStore({ root }),
    listAll: async () =>
      (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
        .sort(),
    rawBytes: (key) => readFile(join(root, key)),
    damage: (key, bytes) => writeFile(join(root, key), bytes),
    close: () => rm(root, { recursive: true, force: true }),
  };
}

/** The S3 driver on a fresh s3rver, its bucket created, with a plain client for what the driver hides. */
export async function s3Harness(): Promise<DriverHarness & { s3: RunningS3rver; client: Client }> {
  const s3 = await startS3rver();
  const url = new URL(s3.endpoint);
  const client = new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
  });
  const driver = new S3BlobStore({
    endpoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket: HARNESS_BUCKET,
    region: 'us-east-1',
  });
  await driver.check();
  // s3rver keeps each object's bytes in `<dir>/<bucket>/<key>._S3rver_object`.
  const objectFile = (key: string) => join(s3.directory, HARNESS_BUCKET, `${key}._S3rver_object`);
  return {
    s3,
    client,
    driver,
    listAll: () => listObjects(client, HARNESS_BUCKET),
    rawBytes: (key) => readFile(objectFile(key)),
    damage: (key, bytes) => writeFile(objectFile(key), bytes),
    close: () => s3.stop(),
  };
}

async function listObjects(client: Client, bucket: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of client.listObjectsV2(bucket, '', true))
    names.push((item as { name: string }).name);
  return names.sort();
}

/** Both drivers, for `describe.each`: every contract holds on each backend. */
export const DRIVER_HARNESSES: [string, () => Promise<DriverHarness>][] = [
  ['filesystem', filesystemHarness],
  ['s3 (s3rver)', s3Harness],
];
