import {
  type CipherGCM,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  type DecipherGCM,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

import { ContractError } from '@mailkeep/contracts';

/**
 * The one sealing scheme of secret plaintexts on the bus (decisions 0022 and 0026), an ECIES of
 * Node's own primitives: a one-time X25519 key of the sender, agreement with the recipient's
 * key, HKDF-SHA256 salted with both public keys (sender first), AES-256-GCM with the 16-byte tag
 * appended. `info` names the protocol, so a key pair can never serve another one; `aad` binds the
 * box to what it was sealed for (subject, tenant, secret).
 */

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed box: every field base64url without padding, as the contracts write them. */
export interface Box {
  readonly senderKey: string;
  readonly nonce: string;
  readonly ciphertext: string;
}

export interface Binding {
  /** Names the protocol (HKDF info). */
  readonly info: string;
  /** What the box is for (AES-GCM additional data). */
  readonly aad: string;
}

/** `plaintext` sealed to the raw X25519 public key `recipientKey` under a fresh sender key. */
export function seal(recipientKey: string, binding: Binding, plaintext: string): Box {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const senderKey = rawOf(publicKey);
  const secret = agree(privateKey, recipientKey, () =>
    ContractError.validation([{ field: 'recipientKey', message: 'not a usable X25519 public key' }]),
  );
  const key = derivedKey(secret, senderKey, recipientKey, binding);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(binding.aad, 'utf8'));
  const box = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { senderKey, nonce: nonce.toString('base64url'), ciphertext: box.toString('base64url') };
}

/**
 * The plaintext of a box sealed to `recipient` (its private key and raw public key); throws
 * `unopenable(why)` when the box was sealed to another key, for another binding, or altered.
 */
export function open(
  recipient: { readonly privateKey: KeyObject; readonly publicKey: string },
  box: Box,
  binding: Binding,
  unopenable: (why: string) => Error,
): string {
  const sealed = Buffer.from(box.ciphertext, 'base64url');
  if (sealed.length < TAG_BYTES) throw unopenable('the ciphertext is shorter than its tag');
  const secret = agree(recipient.privateKey, box.senderKey, () =>
    unopenable('the sender key is not a usable X25519 public key'),
  );
  const key = derivedKey(secret, box.senderKey, recipient.publicKey, binding);
  const decipher: DecipherGCM = createDecipheriv('aes-256-gcm', key, Buffer.from(box.nonce, 'base64url'));
  decipher.setAAD(Buffer.from(binding.aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw unopenable('the ciphertext does not authenticate under the recipient key');
  }
}

/** A fresh one-time key pair, the public half raw as base64url. */
export function oneTimeKeyPair(): { privateKey: KeyObject; publicKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawOf(publicKey) };
}

/**
 * The X25519 key pair whose private key is these 32 bytes (RFC 7748 clamps any 32 bytes into a
 * valid scalar), for a key derived rather than generated. Node imports raw X25519 private keys
 * only inside PKCS#8, whose DER prefix for X25519 is fixed (RFC 8410).
 */
export function keyPairFromSeed(seed: Buffer): { privateKey: KeyObject; publicKey: string } {
  if (seed.length !== KEY_BYTES) throw new Error(`an X25519 seed must be ${KEY_BYTES} bytes`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: rawOf(createPublicKey(privateKey)) };
}

const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** X25519 with the peer's raw key; `unusable` for a key that is not one, or of low order. */
function agree(own: KeyObject, peerRaw: string, unusable: () => Error): Buffer {
  try {
    const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: peerRaw }, format: 'jwk' });
    // OpenSSL refuses a low-order peer key (an all-zero shared secret), so a forged key fails here.
    return diffieHellman({ privateKey: own, publicKey: peer });
  } catch {
    throw unusable();
  }
}

/** HKDF-SHA256 of the shared secret, salted with both public keys (sender first). */
function derivedKey(secret: Buffer, senderKey: string, recipientKey: string, binding: Binding): Buffer {
  const salt = Buffer.concat([Buffer.from(senderKey, 'base64url'), Buffer.from(recipientKey, 'base64url')]);
  return Buffer.from(hkdfSync('sha256', secret, salt, Buffer.from(binding.info, 'utf8'), KEY_BYTES));
}

function rawOf(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  if (x === undefined) throw new Error('an X25519 public key without its x coordinate');
  return x;
}
