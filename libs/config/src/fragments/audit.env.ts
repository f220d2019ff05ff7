import { IsOptional } from 'class-validator';

import { EnvVar, SecretEnv } from '../env-var.js';
import { IsBase64OfLength } from '../rules.js';

/** The key that seals the api's audit log (HMAC-SHA256 of each entry and of the chains' heads). */
export class AuditEnv {
  /**
   * Kept outside PostgreSQL on purpose: whoever can write the audit table must not be able to
   * recompute its hashes. Unset, the api keeps a generated key in MAILKEEP_DATA_DIR/audit.key.
   */
  @EnvVar(
    'Audit log key: base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`); unset, one is generated in MAILKEEP_DATA_DIR/audit.key. Every api replica needs the same key.',
  )
  @SecretEnv()
  @IsOptional()
  @IsBase64OfLength(32, { message: 'must be base64 of exactly 32 bytes' })
  MAILKEEP_AUDIT_KEY?: string;
}
