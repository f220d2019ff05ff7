import { IsOptional, Matches } from 'class-validator';

import { EnvVar, SecretEnv } from '../env-var.js';

/**
 * NATS parses `$NAME` in deploy/nats/nats-server.conf as a config token: letters, digits and `_`,
 * starting with a letter. The same rule here stops a password that the server would misread.
 */
const NATS_TOKEN = /^[A-Za-z][A-Za-z0-9_]{0,255}$/;
const message = 'must be letters, digits and _ starting with a letter (as nats-server reads it)';

/**
 * The per-service NATS passwords of deploy/nats/nats-server.conf, for the all-in-one launcher:
 * when a service's password is set, the launcher connects that service as its own NATS user
 * (`nats://<user>:<password>@…`), so one machine can run the platform against a server with the
 * shipped permissions. The NATS server reads the same variables.
 */
export class NatsUsersEnv {
  @EnvVar(
    'NATS password of the api user (deploy/nats/nats-server.conf); the launcher connects the api as `api`.',
  )
  @SecretEnv()
  @IsOptional()
  @Matches(NATS_TOKEN, { message })
  MAILKEEP_NATS_PASSWORD_API?: string;

  @EnvVar('NATS password of the secrets user; the launcher connects the secrets service as `secrets`.')
  @SecretEnv()
  @IsOptional()
  @Matches(NATS_TOKEN, { message })
  MAILKEEP_NATS_PASSWORD_SECRETS?: string;

  @EnvVar('NATS password of the directory user; the launcher connects the directory service as `directory`.')
  @SecretEnv()
  @IsOptional()
  @Matches(NATS_TOKEN, { message })
  MAILKEEP_NATS_PASSWORD_DIRECTORY?: string;

  @EnvVar('NATS password of the profiles user; the launcher connects the profiles service as `profiles`.')
  @SecretEnv()
  @IsOptional()
  @Matches(NATS_TOKEN, { message })
  MAILKEEP_NATS_PASSWORD_PROFILES?: string;

  @EnvVar('NATS password of the scheduler user; the launcher connects the scheduler as `scheduler`.')
  @SecretEnv()
  @IsOptional()
  @Matches(NATS_TOKEN, { message })
  MAILKEEP_NATS_PASSWORD_SCHEDULER?: string;

  @EnvVar('NATS password of the catalog user; the launcher connects the catalog as `catalog`.')
  @SecretEnv()
  @IsOptional()
  @Matches(NATS_TOKEN, { message })
  MAILKEEP_NATS_PASSWORD_CATALOG?: string;

  @EnvVar('NATS password of the connector user; the launcher connects every connector worker as `connector`.')
  @SecretEnv()
  @IsOptional()
  @Matches(NATS_TOKEN, { message })
  MAILKEEP_NATS_PASSWORD_CONNECTOR?: string;
}
