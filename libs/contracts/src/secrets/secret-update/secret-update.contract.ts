import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretValueFields } from '../secret-create/secret-create.contract.js';
import { SealedWriteFields } from '../secret-write-key/secret-write-key.contract.js';
import { SECRET_TYPES, type SecretType, SecretView } from '../secret-view/secret-view.js';

/**
 * A secret's new name or values, as the API received them. It crosses the bus only sealed
 * (`SecretUpdateRequest`); the secrets service opens it and validates it as this class.
 */
export class SecretUpdateBody extends SecretValueFields {
  /** The owning tenant. */
  @IsUUID()
  tenantId!: string;
  /** The secret's id. */
  @IsUUID()
  id!: string;
  /** A new name, unique per tenant case-insensitively. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
  /** A new description; null clears it. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;
  /** Must equal the stored type when given: a change is RULE_VIOLATION (SPEC S4). */
  @IsOptional()
  @IsIn(SECRET_TYPES)
  type?: SecretType;
}

/** An update on the bus: tenant and secret in clear, the body (the rest) sealed. */
export class SecretUpdateRequest extends SealedWriteFields {
  /** The owning tenant. */
  @IsUUID()
  tenantId!: string;
  /** The secret's id. */
  @IsUUID()
  id!: string;
}

/**
 * Renames a secret or overwrites its values (validated as on create). Replaces v1, which carried
 * the values in plaintext (decision 0026).
 */
export const SECRET_UPDATE_V2 = defineRequest({
  subject: 'secrets.req.secret.update.v2',
  request: SecretUpdateRequest,
  reply: SecretView,
});
