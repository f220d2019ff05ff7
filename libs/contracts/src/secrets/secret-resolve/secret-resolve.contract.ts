import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretRef } from '../secret-get/secret-get.contract.js';
import { BASE64URL, SealedBoxKeys, X25519_KEY } from '../sealed-box/sealed-box.js';
import { SECRET_TYPES, type SecretType } from '../secret-view/secret-view.js';

/**
 * The plaintext of a secret (SPEC S7). It never crosses the bus as it is: the secrets service
 * seals it to the requester's key (`SealedSecret`), and the requester validates it as this class
 * once opened.
 */
export class ResolvedSecret {
  /** The secret's id. */
  @IsUUID()
  id!: string;
  /** Its type: which of the fields below are set. */
  @IsIn(SECRET_TYPES)
  type!: SecretType;
  /** `basic`. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  username?: string;
  /** `basic`. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  password?: string;
  /** `certificate`: the public certificate, PEM. */
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  certificatePem?: string;
  /** `certificate`: the unencrypted private key, PKCS#8 PEM. */
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  privateKeyPem?: string;
  /** `client-secret`. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  clientSecret?: string;
  /** `client-secret`: expiry, ISO-8601. */
  @IsOptional()
  @IsString()
  expiresAt?: string;
  /** `google-service-account`: the whole JSON key. */
  @IsOptional()
  @IsObject()
  serviceAccountKey?: Record<string, unknown>;
}

/** A resolve request: which secret, and the key to seal its plaintext to. */
export class SecretResolveRequest extends SecretRef {
  /**
   * The requester's one-time X25519 public key, raw 32 bytes as base64url (43 characters). Only
   * the holder of its private key can open the reply; a new key pair per request.
   */
  @IsString()
  @Matches(X25519_KEY, { message: 'recipientKey must be a raw X25519 public key, base64url' })
  recipientKey!: string;
}

/**
 * A secret's plaintext (a `ResolvedSecret` as JSON) sealed to the request's `recipientKey`:
 * X25519 between `senderKey` (the secrets service's one-time key) and the recipient key, HKDF-SHA256
 * over the two keys, AES-256-GCM with the subject, tenant and secret id as additional data
 * (decision 0022). A reader of the reply learns the secret's id and the ciphertext's length.
 */
export class SealedSecret extends SealedBoxKeys {
  /** The secret's id (also bound into the ciphertext). */
  @IsUUID()
  id!: string;
  /** The AES-256-GCM ciphertext of the plaintext JSON with its 16-byte tag appended, base64url. */
  @IsString()
  @Matches(BASE64URL)
  @MaxLength(300_000)
  ciphertext!: string;
}

/**
 * A secret's plaintext just in time, for connectors and the directory service only: NATS
 * permissions (deploy/nats/nats-server.conf) let no other user publish on this subject, and the
 * reply is sealed to a key only the requesting process holds, so a reader of the reply subject
 * (any local client of an unauthenticated NATS) learns nothing. Request–reply only, never captured
 * by a stream. Replaces v1, whose reply carried the plaintext.
 */
export const SECRET_RESOLVE_V2 = defineRequest({
  subject: 'secrets.req.secret.resolve.v2',
  request: SecretResolveRequest,
  reply: SealedSecret,
});
