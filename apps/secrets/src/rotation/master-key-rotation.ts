import type { Logger } from '@mailkeep/observability';

import { rewrap } from '../crypto/envelope.js';
import type { MasterKeyRing } from '../crypto/master-key-ring.js';
import type { SecretsRepository } from '../secrets/secrets.repository.js';

/**
 * Rows looked up per batch. Each row is still re-wrapped in its own transaction (a lock held for
 * one row, milliseconds), so the batch size only bounds one id query: 100 keeps it small while
 * a 10 000-secret tenant needs just 100 queries.
 */
export const ROTATION_BATCH_SIZE = 100;

/** UUIDs compare as bytes; this is below every one of them. */
const BEFORE_EVERY_ID = '00000000-0000-0000-0000-000000000000';

export interface RotationResult {
  /** Rows whose data key is now wrapped by the current master key. */
  readonly rewrapped: number;
}

/**
 * Re-wraps every data key with the ring's current master key (SPEC S6), while the service keeps
 * answering: rows are walked by id, each re-wrapped under a row lock in a short transaction, and
 * the ciphertexts never change. Resolve works throughout as long as the running services know
 * both the old and the new key (MAILKEEP_MASTER_KEY_PREVIOUS). Safe to re-run after a crash.
 */
export async function rotateMasterKey(
  repository: SecretsRepository,
  ring: MasterKeyRing,
  logger?: Logger,
  batchSize = ROTATION_BATCH_SIZE,
): Promise<RotationResult> {
  let rewrapped = 0;
  let after = BEFORE_EVERY_ID;
  for (;;) {
    const ids = await repository.idsWrappedByOtherKey(ring.current.id, after, batchSize);
    for (const id of ids) {
      if (
        await repository.rewrapRow(id, ring.current.id, (sealed, binding) => rewrap(ring, sealed, binding))
      ) {
        rewrapped++;
      }
    }
    logger?.info('master key rotation progress', { keyId: ring.current.id, rewrapped });
    const last = ids[ids.length - 1];
    if (ids.length < batchSize || last === undefined) break;
    after = last;
  }
  return { rewrapped };
}
