import { ContractError, ResolvedSecret, SECRETS_RESOLVE_V2, type SecretRef } from '@mailkeep/contracts';
import { type MessageBus, toValidPayload } from '@mailkeep/messaging';

import { newRecipient } from './sealed-secret.js';

/**
 * A secret's plaintext, just in time (SPEC S7): asks the secrets service with a fresh one-time
 * key and opens the sealed reply in this process. The plaintext is validated like any received
 * payload. NOT_FOUND and every other failure propagate as the contract errors they are.
 */
export async function resolveSecret(bus: MessageBus, ref: SecretRef): Promise<ResolvedSecret> {
  const recipient = newRecipient();
  const sealed = await bus.request(SECRETS_RESOLVE_V2, { ...ref, recipientKey: recipient.recipientKey });
  const json = recipient.open(sealed, ref);
  let plain: unknown;
  try {
    plain = JSON.parse(json);
  } catch {
    throw new ContractError('INTERNAL', 'The opened secret is not JSON');
  }
  return toValidPayload(ResolvedSecret, plain);
}

/** `resolveSecret`, with a missing secret (NOT_FOUND) as `undefined`. */
export async function findSecret(bus: MessageBus, ref: SecretRef): Promise<ResolvedSecret | undefined> {
  try {
    return await resolveSecret(bus, ref);
  } catch (error) {
    if (error instanceof ContractError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}
