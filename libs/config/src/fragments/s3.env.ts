import { IsDefined, IsOptional, Matches, ValidateIf } from 'class-validator';
import { EnvVar, SecretEnv } from '../env-var.js';
import { IsUrlWithProtocol } from '../rules.js';

const REQUIRED_WITH_ENDPOINT = { message: 'is required when MAILKEEP_S3_ENDPOINT is set' };

const hasEndpoint = (env: S3Env): boolean => env.MAILKEEP_S3_ENDPOINT !== undefined;

/** S3-compatible blob storage (MinIO, AWS); blobs go to MAILKEEP_DATA_DIR when no endpoint is set. */
export class S3Env {
  @EnvVar(
    'S3 endpoint URL (e.g. http://127.0.0.1:9000 for MinIO); blobs are stored on the filesystem when unset.',
  )
  @IsOptional()
  @IsUrlWithProtocol(['http', 'https'], { message: 'must be an http:// or https:// URL' })
  MAILKEEP_S3_ENDPOINT?: string;

  @EnvVar('S3 access key id; required with MAILKEEP_S3_ENDPOINT.')
  @ValidateIf(hasEndpoint)
  @IsDefined(REQUIRED_WITH_ENDPOINT)
  MAILKEEP_S3_ACCESS_KEY?: string;

  @EnvVar('S3 secret access key; required with MAILKEEP_S3_ENDPOINT.')
  @SecretEnv()
  @ValidateIf(hasEndpoint)
  @IsDefined(REQUIRED_WITH_ENDPOINT)
  MAILKEEP_S3_SECRET_KEY?: string;

  /** The S3 bucket naming rules, so a bad name fails at start-up rather than on the first upload. */
  @EnvVar('Bucket that holds archived messages.')
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'must be a valid S3 bucket name (3-63 characters of a-z, 0-9, . and -)',
  })
  MAILKEEP_S3_BUCKET: string = 'mailkeep';

  @EnvVar('S3 region (MinIO accepts any).')
  @Matches(/^[a-z0-9-]+$/, { message: 'must be a region name of a-z, 0-9 and -' })
  MAILKEEP_S3_REGION: string = 'us-east-1';
}
