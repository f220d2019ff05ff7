import {
  type CipherGCM,
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  type DecipherGCM,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

import {
  ContractError,
  type ResolvedSecret,
  type SealedSecret,
  SECRETS_RESOLVE_V2,
  type SecretRef,
} from '@mailkeep/contracts';

/**
 * Sealing a secret's plaintext to the process that asked for it (decision 0022): an ECIES of
 * Node's own primitives. Both sides use one-time X25519 keys, so a reply cannot be opened with a
 * key that leaks later, and nothing long-lived has to be distributed to the services.
 */

/** Binds the derived key to this protocol, so the same key pair can never serve another one. */
const HKDF_INFO = Buffer.from('mailkeep secrets.req.secret.resolve.v2 aes-256-gcm', 'utf8');
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A requester's one-time key pair: the public half goes into the request, the private one opens the reply. */
export interface Recipient {
  /** The raw X25519 public key, base64url: the request's `recipientKey`. */
  readonly recipientKey: string;
  /** The plaintext JSON of a reply sealed to this key for `ref`; throws when it was not, or was altered. */
  open(sealed: SealedSecret, ref: SecretRef): string;
}

export function newRecipient(): Recipient {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const recipientKey = rawOf(publicKey);
  return {
    recipientKey,
    open(sealed, ref) {
      if (sealed.id !== ref.id) throw unopenable(`the reply is for secret ${sealed.id}, not ${ref.id}`);
      const box = Buffer.from(sealed.ciphertext, 'base64url');
      if (box.length < TAG_BYTES) throw unopenable('the ciphertext is shorter than its tag');
      const key = sharedKey(privateKey, sealed.senderKey, sealed.senderKey, recipientKey);
      const decipher: DecipherGCM = createDecipheriv(
        'aes-256-gcm',
        key,
        Buffer.from(sealed.nonce, 'base64url'),
      );
      decipher.setAAD(additionalData(ref));
      decipher.setAuthTag(box.subarray(box.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(box.subarray(0, box.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw unopenable('the ciphertext does not authenticate under the request key');
      }
    },
  };
}

/** `secret` (as JSON) sealed to the request's `recipientKey`, for the secrets service's reply. */
export function sealSecret(
  request: SecretRef & { recipientKey: string },
  secret: ResolvedSecret,
): SealedSecret {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const senderKey = rawOf(publicKey);
  const key = sharedKey(privateKey, request.recipientKey, senderKey, request.recipientKey);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(additionalData(request));
  const box = Buffer.concat([
    cipher.update(JSON.stringify(secret), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    id: request.id,
    senderKey,
    nonce: nonce.toString('base64url'),
    ciphertext: box.toString('base64url'),
  };
}

/** X25519 with the peer's raw key, then HKDF-SHA256 salted with both public keys (sender first). */
function sharedKey(own: KeyObject, peerRaw: string, senderKey: string, recipientKey: string): Buffer {
  const peer = publicKeyOf(peerRaw);
  // OpenSSL refuses a low-order peer key (an all-zero shared secret), so a forged key fails here.
  const secret = diffieHellman({ privateKey: own, publicKey: peer });
  const salt = Buffer.concat([Buffer.from(senderKey, 'base64url'), Buffer.from(recipientKey, 'base64url')]);
  return Buffer.from(hkdfSync('sha256', secret, salt, HKDF_INFO, KEY_BYTES));
}

/** The reply only opens for the subject, tenant and secret it was sealed for. */
function additionalData(ref: SecretRef): Buffer {
  return Buffer.from(`${SECRETS_RESOLVE_V2.subject}\n${ref.tenantId}\n${ref.id}`, 'utf8');
}

function publicKeyOf(raw: string): KeyObject {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw }, format: 'jwk' });
  } catch {
    throw ContractError.validation([{ field: 'recipientKey', message: 'not an X25519 public key' }]);
  }
}

function rawOf(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  if (x === undefined) throw new Error('an X25519 public key without its x coordinate');
  return x;
}

function unopenable(why: string): ContractError {
  return new ContractError('INTERNAL', `The sealed secret cannot be opened: ${why}`);
}
