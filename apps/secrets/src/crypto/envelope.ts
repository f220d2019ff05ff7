import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { KEY_BYTES, type MasterKey, type MasterKeyRing } from './master-key-ring.js';

/** 96-bit IVs are GCM's native size; random per encryption, never reused with a key. */
const IV_BYTES = 12;
/** The full 128-bit GCM tag: shorter tags weaken forgery resistance. */
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** What is stored per secret (SPEC S6). Every field is needed to decrypt; none is secret alone. */
export interface SealedValue {
  /** Id of the master key that wrapped the data key. */
  readonly keyId: string;
  /** iv ‖ tag ‖ encrypted data key (12 + 16 + 32 bytes). */
  readonly wrappedKey: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** The row a sealed value belongs to: bound as associated data, so it cannot move to another. */
export interface SealBinding {
  readonly tenantId: string;
  readonly secretId: string;
}

/** Thrown when a sealed value cannot be opened: tampered, moved to another row, or key unknown. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

function dataAad({ tenantId, secretId }: SealBinding): Buffer {
  return Buffer.from(`mailkeep.secrets.data.v1|${tenantId}|${secretId}`, 'utf8');
}

function wrapAad(keyId: string, { tenantId, secretId }: SealBinding): Buffer {
  return Buffer.from(`mailkeep.secrets.wrap.v1|${keyId}|${tenantId}|${secretId}`, 'utf8');
}

function encrypt(
  key: Buffer,
  plaintext: Buffer,
  aad: Buffer,
): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new EnvelopeError('the sealed value failed authentication');
  }
}

function wrapDataKey(master: MasterKey, dataKey: Buffer, binding: SealBinding): Buffer {
  const { iv, tag, ciphertext } = encrypt(master.key, dataKey, wrapAad(master.id, binding));
  return Buffer.concat([iv, tag, ciphertext]);
}

function unwrapDataKey(ring: MasterKeyRing, keyId: string, wrapped: Buffer, binding: SealBinding): Buffer {
  const master = ring.find(keyId);
  if (!master) throw new EnvelopeError(`master key ${keyId} is not configured`);
  if (wrapped.length !== IV_BYTES + TAG_BYTES + KEY_BYTES) throw new EnvelopeError('malformed wrapped key');
  return decrypt(
    master.key,
    wrapped.subarray(0, IV_BYTES),
    wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    wrapped.subarray(IV_BYTES + TAG_BYTES),
    wrapAad(keyId, binding),
  );
}

/** Encrypts a value under a fresh data key, wrapped by the ring's current master key. */
export function seal(ring: MasterKeyRing, value: unknown, binding: SealBinding): SealedValue {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const { iv, tag, ciphertext } = encrypt(
      dataKey,
      Buffer.from(JSON.stringify(value), 'utf8'),
      dataAad(binding),
    );
    return {
      keyId: ring.current.id,
      wrappedKey: wrapDataKey(ring.current, dataKey, binding),
      iv,
      tag,
      ciphertext,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts a sealed value; EnvelopeError when it was tampered with or belongs to another row. */
export function open(ring: MasterKeyRing, sealed: SealedValue, binding: SealBinding): unknown {
  const dataKey = unwrapDataKey(ring, sealed.keyId, sealed.wrappedKey, binding);
  try {
    const plaintext = decrypt(dataKey, sealed.iv, sealed.tag, sealed.ciphertext, dataAad(binding));
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key with the current master key; the ciphertext itself is unchanged. */
export function rewrap(ring: MasterKeyRing, sealed: SealedValue, binding: SealBinding): SealedValue {
  if (sealed.keyId === ring.current.id) return sealed;
  const dataKey = unwrapDataKey(ring, sealed.keyId, sealed.wrappedKey, binding);
  try {
    return { ...sealed, keyId: ring.current.id, wrappedKey: wrapDataKey(ring.current, dataKey, binding) };
  } finally {
    dataKey.fill(0);
  }
}
