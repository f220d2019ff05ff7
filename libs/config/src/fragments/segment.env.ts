import { IsInt, Max, Min } from 'class-validator';

import { EnvVar } from '../env-var.js';
import { ToInt } from '../rules.js';

const MiB = 1024 * 1024;

/**
 * Messages below this size go into segments (decision 0020). Most mail without attachments is
 * well below it; larger messages stay single objects, streamed. It also bounds what group commit
 * holds in memory: every message waiting for its seal is below it.
 */
export const DEFAULT_SEGMENT_THRESHOLD_BYTES = 256 * 1024;
/** A segment is sealed at this size: 16 MiB is a few thousand small messages in one file or PUT. */
export const DEFAULT_SEGMENT_MAX_BYTES = 16 * MiB;
/** ... or when its first message is this old: the longest a message waits for durability. */
export const DEFAULT_SEGMENT_MAX_AGE_MS = 1_000;

/**
 * ... or when no message has come for this long. Connectors keep a bounded number of messages in
 * flight and each waits for its seal, so a quiet segment means its writers are all waiting on it;
 * two milliseconds still collects every message of the in-flight windows (decision 0020).
 */
export const DEFAULT_SEGMENT_LINGER_MS = 2;

/** Group-committed storage of small messages (the connector workers write; readers need nothing). */
export class SegmentEnv {
  @EnvVar('Messages smaller than this many bytes are stored in segments; 0 stores every message alone.')
  @ToInt()
  @IsInt({ message: 'must be an integer between 0 and 16777216' })
  @Min(0, { message: 'must be an integer between 0 and 16777216' })
  // Past 16 MiB a "small" message would be a whole segment on its own.
  @Max(16 * MiB, { message: 'must be an integer between 0 and 16777216' })
  MAILKEEP_SEGMENT_THRESHOLD_BYTES: number = DEFAULT_SEGMENT_THRESHOLD_BYTES;

  @EnvVar('A segment is written once it holds this many bytes of messages.')
  @ToInt()
  @IsInt({ message: 'must be an integer between 1048576 and 268435456' })
  @Min(MiB, { message: 'must be an integer between 1048576 and 268435456' })
  // A segment is held in memory until written, and read whole by integrity checks.
  @Max(256 * MiB, { message: 'must be an integer between 1048576 and 268435456' })
  MAILKEEP_SEGMENT_MAX_BYTES: number = DEFAULT_SEGMENT_MAX_BYTES;

  @EnvVar('A segment is written at the latest this many milliseconds after its first message.')
  @ToInt()
  @IsInt({ message: 'must be an integer between 1 and 60000' })
  @Min(1, { message: 'must be an integer between 1 and 60000' })
  // Messages are acknowledged only once written: a minute is the most a cursor should lag.
  @Max(60_000, { message: 'must be an integer between 1 and 60000' })
  MAILKEEP_SEGMENT_MAX_AGE_MS: number = DEFAULT_SEGMENT_MAX_AGE_MS;

  @EnvVar('A segment is written once no message has come for this many milliseconds (at most its max age).')
  @ToInt()
  @IsInt({ message: 'must be an integer between 1 and 60000' })
  @Min(1, { message: 'must be an integer between 1 and 60000' })
  @Max(60_000, { message: 'must be an integer between 1 and 60000' })
  MAILKEEP_SEGMENT_LINGER_MS: number = DEFAULT_SEGMENT_LINGER_MS;
}
