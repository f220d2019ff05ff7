import { IsOptional, IsString, Matches } from 'class-validator';
import { EnvVar, SecretEnv } from '../env-var.js';
import { IsBase64OfLength, IsNotSetWith, ToAbsolutePath } from '../rules.js';

/** The key that encrypts stored secrets (the secrets service). */
export class MasterKeyEnv {
  /** 32 bytes: an AES-256 key. */
  @EnvVar('Master encryption key: base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).')
  @SecretEnv()
  @IsOptional()
  @IsBase64OfLength(32, { message: 'must be base64 of exactly 32 bytes' })
  MAILKEEP_MASTER_KEY?: string;

  /** For orchestrators that mount secrets as files (Docker/Kubernetes secrets) rather than env vars. */
  @EnvVar('Path of a file holding the master key (instead of MAILKEEP_MASTER_KEY).')
  @IsOptional()
  @ToAbsolutePath()
  @IsString({ message: 'must be a file path' })
  @IsNotSetWith('MAILKEEP_MASTER_KEY', { message: 'must not be set together with MAILKEEP_MASTER_KEY' })
  MAILKEEP_MASTER_KEY_FILE?: string;

  /**
   * Keys that were current before a rotation: data keys still wrapped by one of them stay readable
   * until `rotate-master-key` has re-wrapped every secret; then they can be removed.
   */
  @EnvVar(
    'Earlier master keys (comma-separated base64 of 32 bytes each), readable until rotate-master-key has re-wrapped every secret.',
  )
  @SecretEnv()
  @IsOptional()
  @Matches(/^(?:[A-Za-z0-9+/]{43}=)(?:,(?:[A-Za-z0-9+/]{43}=))*$/, {
    message: 'must be a comma-separated list of base64 of exactly 32 bytes',
  })
  MAILKEEP_MASTER_KEY_PREVIOUS?: string;
}
