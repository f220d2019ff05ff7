import { IsNotEmpty, IsString } from 'class-validator';
import { EnvVar } from '../env-var.js';
import { ToAbsolutePath } from '../rules.js';

const PATH = { message: 'must be a directory path' };

/** Local state: filesystem blobs when no S3 is configured, generated keys, pid files. */
export class DataDirEnv {
  /** Relative paths (including the default) are resolved against the working directory at start-up. */
  @EnvVar(
    'Directory for local data (filesystem blob store, generated keys); relative to the working directory.',
  )
  @ToAbsolutePath()
  @IsString(PATH)
  @IsNotEmpty(PATH)
  MAILKEEP_DATA_DIR: string = './data';
}
