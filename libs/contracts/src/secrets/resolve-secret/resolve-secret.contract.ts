import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretRef } from '../get-secret/get-secret.contract.js';
import { SECRET_TYPES, type SecretType } from '../secret-view/secret-view.js';

/** The plaintext of a secret: the only reply on the bus that carries sensitive values (SPEC S7). */
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

/**
 * Plaintext just in time, for connectors and the directory service only: NATS permissions
 * (deploy/nats/nats-server.conf) let no other user publish on this subject. Request–reply only,
 * never captured by a stream.
 */
export const SECRETS_RESOLVE_V1 = defineRequest({
  subject: 'secrets.req.secret.resolve.v1',
  request: SecretRef,
  reply: ResolvedSecret,
});
