import { IsOptional, Matches } from 'class-validator';
import { EnvVar, SecretEnv } from '../env-var.js';

/** The first operator API key (SPEC §5): generated and printed once at first start when unset. */
export class BootstrapEnv {
  /** 32 characters of a 64-symbol alphabet is 192 bits: not guessable, and URL/header safe. */
  @EnvVar('Operator API key accepted at first start; generated and printed once when unset.')
  @SecretEnv()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{32,}$/, { message: 'must be at least 32 characters of A-Z, a-z, 0-9, _ and -' })
  MAILKEEP_BOOTSTRAP_API_KEY?: string;
}
