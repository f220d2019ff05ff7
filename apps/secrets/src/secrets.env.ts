import {
  composeEnv,
  DatabaseEnv,
  DataDirEnv,
  EnvVar,
  MasterKeyEnv,
  NatsEnv,
  RuntimeEnv,
  SecretEnv,
} from '@mailkeep/config';
import { IsOptional, Matches } from 'class-validator';

/** Comma-separated strict base64 of 32 bytes each (the format of MAILKEEP_MASTER_KEY). */
const KEY_LIST = /^(?:[A-Za-z0-9+/]{43}=)(?:,(?:[A-Za-z0-9+/]{43}=))*$/;

/**
 * The secrets service's own variable: master keys that were current before a rotation. Data keys
 * still wrapped by one of them stay readable until `rotate-master-key` has re-wrapped every row;
 * then they can be removed. Lives here, not in libs/config, because only this service reads it.
 */
class PreviousMasterKeysEnv {
  @EnvVar(
    'Earlier master keys (comma-separated base64 of 32 bytes each), readable until rotate-master-key has re-wrapped every secret.',
  )
  @SecretEnv()
  @IsOptional()
  @Matches(KEY_LIST, { message: 'must be a comma-separated list of base64 of exactly 32 bytes' })
  MAILKEEP_MASTER_KEY_PREVIOUS?: string;
}

export const SecretsEnv = composeEnv(
  NatsEnv,
  RuntimeEnv,
  DatabaseEnv,
  DataDirEnv,
  MasterKeyEnv,
  PreviousMasterKeysEnv,
);
export type SecretsConfig = InstanceType<typeof SecretsEnv>;
