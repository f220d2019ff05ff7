import { IsInt, Max, Min } from 'class-validator';

import { EnvVar } from '../env-var.js';
import { ToInt } from '../rules.js';

/**
 * Mailboxes one connector worker process archives at once by default (SPEC C1). Each holds a
 * connection to its server and one message in flight through storage; four keep a small worker
 * busy without one slow mailbox server idling it. Scale out by starting more workers.
 */
export const DEFAULT_CONNECTOR_CONCURRENCY = 4;

/**
 * Messages one task keeps in flight through storage and the event stream by default. Each waits
 * mostly on an fsync (or an S3 round trip) and a stream ack; eight overlap those waits for a
 * mailbox of small messages, while the fetched ranges they come from bound the memory (see the
 * IMAP connector's fetch plan).
 */
export const DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT = 8;

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

  @EnvVar('Messages one mailbox task keeps in flight through storage and the event stream at once.')
  @ToInt()
  @IsInt(CONCURRENCY)
  @Min(1, CONCURRENCY)
  // Past 64 the waits are long overlapped; more only holds more fetched messages in memory.
  @Max(64, CONCURRENCY)
  MAILKEEP_CONNECTOR_MESSAGES_IN_FLIGHT: number = DEFAULT_CONNECTOR_MESSAGES_IN_FLIGHT;
}
