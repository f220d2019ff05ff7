import { EnvVar, ToInt } from '@mailkeep/config';
import { IsInt, Max, Min } from 'class-validator';

import { DEFAULT_TASK_CONCURRENCY } from '../worker/connector-worker.js';

const CONCURRENCY = { message: 'must be an integer between 1 and 64' };

/** Settings every connector worker shares; compose it into the connector app's env class. */
export class ConnectorWorkerEnv {
  @EnvVar('Mailboxes one connector worker archives at once; start more workers to scale out further.')
  @ToInt()
  @IsInt(CONCURRENCY)
  @Min(1, CONCURRENCY)
  // Each task holds a server connection and a message in flight; past 64 one process is better
  // split into several workers.
  @Max(64, CONCURRENCY)
  MAILKEEP_CONNECTOR_CONCURRENCY: number = DEFAULT_TASK_CONCURRENCY;
}
