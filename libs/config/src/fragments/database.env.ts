import { EnvVar, SecretEnv } from '../env-var.js';
import { IsUrlWithProtocol } from '../rules.js';

/** PostgreSQL, for the services that own tables (connectors have no database). */
export class DatabaseEnv {
  /** Secret because it may carry the password (`postgres://user:password@host/db`). */
  @EnvVar('PostgreSQL connection URL (postgres:// or postgresql://); the database is created if missing.')
  @SecretEnv()
  @IsUrlWithProtocol(['postgres', 'postgresql'], { message: 'must be a postgres:// or postgresql:// URL' })
  MAILKEEP_DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/mailkeep';
}
