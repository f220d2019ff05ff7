import { IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';

import { defineRequest } from '../../core/contract.js';
import { BASE64URL, SealedBoxKeys, X25519_KEY } from '../sealed-box/sealed-box.js';

/** A master key's id: the first 8 bytes of its SHA-256, hex (apps/secrets, master-key-ring). */
const KEY_ID = /^[0-9a-f]{16}$/;

export class SecretWriteKeyRequest {
  /** The tenant whose secret is about to be written: the key is derived for this tenant alone. */
  @IsUUID()
  tenantId!: string;
}

/** The secrets service's public key for sealing a secret's values to it (decision 0026). */
export class SecretWriteKey {
  /** Which master key the key pair is derived from; goes back in the sealed write. */
  @IsString()
  @Matches(KEY_ID)
  keyId!: string;
  /** The X25519 public key, raw 32 bytes as base64url. */
  @IsString()
  @Matches(X25519_KEY)
  publicKey!: string;
}

/**
 * The JSON body of a secret write (the fields of `SecretCreateBody` or `SecretUpdateBody`
 * other than the tenant and id) sealed to a `SecretWriteKey`: X25519 between the writer's one-time
 * `senderKey` and the write key, HKDF-SHA256 over both keys, AES-256-GCM with the subject, tenant
 * and secret id as additional data. A reader of the request learns the tenant and the length.
 */
export class SealedSecretWrite extends SealedBoxKeys {
  /** The `keyId` of the write key it is sealed to. */
  @IsString()
  @Matches(KEY_ID)
  keyId!: string;
  /** The ciphertext with its 16-byte tag appended, base64url; bounded below NATS's 1 MB payload. */
  @IsString()
  @Matches(BASE64URL)
  @MaxLength(900_000)
  ciphertext!: string;
}

/** A sealed write's envelope: the tenant in clear (routing, key derivation), the rest sealed. */
export class SealedWriteFields {
  /** The `SealedSecretWrite` of the body. */
  @ValidateNested()
  @Type(() => SealedSecretWrite)
  sealed!: SealedSecretWrite;
}

/**
 * The key a secret's values are sealed to before they cross the bus (decision 0026). Derived
 * from the current master key and the tenant, so every replica of the secrets service answers
 * the same key and can open what another replica's key sealed.
 */
export const SECRET_WRITE_KEY_V1 = defineRequest({
  subject: 'secrets.req.secret.write-key.v1',
  request: SecretWriteKeyRequest,
  reply: SecretWriteKey,
});
