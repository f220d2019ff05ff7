import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import S3rver from 's3rver';

/** s3rver accepts any bucket and these fixed credentials (it checks signatures against them). */
const S3RVER_CREDENTIAL = 'S3RVER';

export interface RunningS3rver {
  /** `http://127.0.0.1:<port>`, for MAILKEEP_S3_ENDPOINT. */
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Where s3rver keeps its buckets (objects and multipart parts), to inspect in tests. */
  readonly directory: string;
  stop(): Promise<void>;
}

/**
 * An in-process S3 server (s3rver) on a free loopback port with a throw-away directory. s3rver
 * lacks ListMultipartUploads and AbortMultipartUpload (see docs/decisions/0004-blob-storage.md).
 */
export async function startS3rver(): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'mailkeep-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey: S3RVER_CREDENTIAL,
    secretKey: S3RVER_CREDENTIAL,
    directory,
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
