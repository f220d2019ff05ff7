import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SealedWriteFields } from '../secret-write-key/secret-write-key.contract.js';
import { SECRET_TYPES, type SecretType, SecretView } from '../secret-view/secret-view.js';

/** Longest validity a generated certificate may have: 10 years, as most TLS stacks accept. */
export const MAX_CERTIFICATE_VALIDITY_DAYS = 3650;

/** PEM text and PKCS#12 archives of a few certificates fit easily; the bound keeps payloads small. */
const MAX_BLOB_LENGTH = 65_536;

export class GenerateCertificateOptions {
  /** Subject of the self-signed certificate, e.g. `CN=archive.example.com,O=Acme`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject!: string;
  /** Days from now until it expires. */
  @IsInt()
  @Min(1)
  @Max(MAX_CERTIFICATE_VALIDITY_DAYS)
  validityDays!: number;
}

/**
 * The value fields of a secret (SPEC §5 create bodies), flat so that their names are the HTTP
 * body's names. Which fields a type needs is checked by the secrets service.
 */
export class SecretValueFields {
  /** `basic`: the user name. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  username?: string;
  /** `basic`: the password; `certificate`: the password of the PKCS#12 or of the private key PEM. Sensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  password?: string;
  /** `certificate`: generate a self-signed RSA-2048 certificate. */
  @IsOptional()
  @ValidateNested()
  @Type(() => GenerateCertificateOptions)
  generate?: GenerateCertificateOptions;
  /** `certificate`: an imported certificate, PEM. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BLOB_LENGTH)
  certificatePem?: string;
  /** `certificate`: its private key, PEM. Sensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BLOB_LENGTH)
  privateKeyPem?: string;
  /** `certificate`: an imported PKCS#12 archive, base64. Sensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BLOB_LENGTH)
  pkcs12?: string;
  /** `client-secret`: the secret value. Sensitive. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  clientSecret?: string;
  /** `client-secret`: when it expires, ISO-8601. */
  @IsOptional()
  @IsISO8601()
  expiresAt?: string;
  /** `google-service-account`: the JSON key as downloaded from Google. Sensitive. */
  @IsOptional()
  @IsObject()
  serviceAccountKey?: Record<string, unknown>;
}

/**
 * A secret to create, as the API received it. It crosses the bus only sealed
 * (`SecretCreateRequest`); the secrets service opens it and validates it as this class.
 */
export class SecretCreateBody extends SecretValueFields {
  /** The owning tenant. */
  @IsUUID()
  tenantId!: string;
  /** Unique per tenant, case-insensitively; trimmed. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
  /** Free text. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
  /** The type; immutable once created. */
  @IsIn(SECRET_TYPES)
  type!: SecretType;
}

/** A create on the bus: the tenant in clear, the body (a `SecretCreateBody` without it) sealed. */
export class SecretCreateRequest extends SealedWriteFields {
  /** The owning tenant. */
  @IsUUID()
  tenantId!: string;
}

/**
 * Creates a secret; VALIDATION names the body field, CONFLICT (`duplicate_name`) a taken name.
 * Replaces v1, which carried the values in plaintext (decision 0026).
 */
export const SECRET_CREATE_V2 = defineRequest({
  subject: 'secrets.req.secret.create.v2',
  request: SecretCreateRequest,
  reply: SecretView,
});
