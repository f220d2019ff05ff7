import {
  ContractError,
  type ResolvedSecret,
  type SealedSecret,
  SECRET_RESOLVE_V2,
  type SecretRef,
} from '@mailkeep/contracts';

import { type Binding, oneTimeKeyPair, open, seal } from './ecies.js';

/**
 * Sealing a secret's plaintext to the process that asked for it (decision 0022). Both sides use
 * one-time X25519 keys, so a reply cannot be opened with a key that leaks later, and nothing
 * long-lived has to be distributed to the services.
 */

/** Binds the derived key to this protocol, so the same key pair can never serve another one. */
const RESOLVE_INFO = 'mailkeep secrets.req.secret.resolve.v2 aes-256-gcm';

/** A requester's one-time key pair: the public half goes into the request, the private one opens the reply. */
export interface Recipient {
  /** The raw X25519 public key, base64url: the request's `recipientKey`. */
  readonly recipientKey: string;
  /** The plaintext JSON of a reply sealed to this key for `ref`; throws when it was not, or was altered. */
  open(sealed: SealedSecret, ref: SecretRef): string;
}

export function newRecipient(): Recipient {
  const keyPair = oneTimeKeyPair();
  return {
    recipientKey: keyPair.publicKey,
    open(sealed, ref) {
      if (sealed.id !== ref.id) throw unopenable(`the reply is for secret ${sealed.id}, not ${ref.id}`);
      return open(keyPair, sealed, bindingOf(ref), unopenable);
    },
  };
}

/** `secret` (as JSON) sealed to the request's `recipientKey`, for the secrets service's reply. */
export function sealSecret(
  request: SecretRef & { recipientKey: string },
  secret: ResolvedSecret,
): SealedSecret {
  return { id: request.id, ...seal(request.recipientKey, bindingOf(request), JSON.stringify(secret)) };
}

/** The reply only opens for the subject, tenant and secret it was sealed for. */
function bindingOf(ref: SecretRef): Binding {
  return { info: RESOLVE_INFO, aad: `${SECRET_RESOLVE_V2.subject}\n${ref.tenantId}\n${ref.id}` };
}

function unopenable(why: string): ContractError {
  return new ContractError('INTERNAL', `The sealed secret cannot be opened: ${why}`);
}
