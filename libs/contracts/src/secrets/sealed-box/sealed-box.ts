import { IsString, Matches } from 'class-validator';

/** base64url without padding, as every binary field of a sealed box is written. */
export const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A raw X25519 public key (32 bytes) as base64url. */
export const X25519_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * The key agreement part of every sealed box on the bus (decisions 0022 and 0026): the sender's
 * one-time X25519 key and the AES-GCM nonce. Each box adds its ciphertext, bounded for its use.
 */
export class SealedBoxKeys {
  /** The sender's one-time X25519 public key, raw 32 bytes as base64url. */
  @IsString()
  @Matches(X25519_KEY)
  senderKey!: string;
  /** The AES-GCM nonce, 12 bytes as base64url. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16}$/)
  nonce!: string;
}
