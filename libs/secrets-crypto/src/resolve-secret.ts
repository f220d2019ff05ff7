import {
  ContractError,
  ResolvedSecret,
  type SealedSecret,
  SECRET_RESOLVE_V2,
  type SecretRef,
} from '@mailkeep/contracts';
import { type MessageBus, toValidPayload } from '@mailkeep/messaging';

import { newRecipient, type Recipient } from './sealed-secret.js';

/**
 * A secret's plaintext, just in time (SPEC S7): asks the secrets service with a fresh one-time
 * key and opens the sealed reply in this process. The plaintext is validated like any received
 * payload. NOT_FOUND and every other failure propagate as the contract errors they are.
 */
export async function resolveSecret(bus: MessageBus, ref: SecretRef): Promise<ResolvedSecret> {
  const recipient = newRecipient();
  const sealed = await bus.request(SECRET_RESOLVE_V2, { ...ref, recipientKey: recipient.recipientKey });
  return openReply(recipient, sealed, ref);
}

/** `resolveSecret`, with a missing secret (NOT_FOUND) as `undefined`: the bus's own `find` decides. */
export async function findSecret(bus: MessageBus, ref: SecretRef): Promise<ResolvedSecret | undefined> {
  const recipient = newRecipient();
  const sealed = await bus.find(SECRET_RESOLVE_V2, { ...ref, recipientKey: recipient.recipientKey });
  return sealed && openReply(recipient, sealed, ref);
}

async function openReply(
  recipient: Recipient,
  sealed: SealedSecret,
  ref: SecretRef,
): Promise<ResolvedSecret> {
  const json = recipient.open(sealed, ref);
  let plain: unknown;
  try {
    plain = JSON.parse(json);
  } catch {
    throw new ContractError('INTERNAL', 'The opened secret is not JSON');
  }
  return toValidPayload(ResolvedSecret, plain);
}
