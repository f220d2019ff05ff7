import { IsInt, Max, Min } from 'class-validator';

import { EnvVar } from '../env-var.js';
import { ToInt } from '../rules.js';

/**
 * Mailboxes one connector worker process archives at once by default (SPEC C1). Each holds a
 * connection to its server and one message in flight through storage; four keep a small worker
 * busy without one slow mailbox server idling it. Scale out by starting more workers.
 */
export const DEFAULT_CONNECTOR_CONCURRENCY = 4;

const CONCURRENCY = { message: 'must be an integer between 1 and 64' };

/** Settings every connector worker shares. */
export class ConnectorWorkerEnv {
  @EnvVar('Mailboxes one connector worker archives at once; start more workers to scale out further.')
  @ToInt()
  @IsInt(CONCURRENCY)
  @Min(1, CONCURRENCY)
  // Each task holds a server connection and a message in flight; past 64 one process is better
  // split into several workers.
  @Max(64, CONCURRENCY)
  MAILKEEP_CONNECTOR_CONCURRENCY: number = DEFAULT_CONNECTOR_CONCURRENCY;
}
