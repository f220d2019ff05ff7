import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretValueFields } from '../create-secret/create-secret.contract.js';
import { SECRET_TYPES, type SecretType, SecretView } from '../secret-view/secret-view.js';

export class UpdateSecretRequest extends SecretValueFields {
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

/** Renames a secret or overwrites its values (validated as on create). */
export const SECRETS_UPDATE_V1 = defineRequest({
  subject: 'secrets.req.secret.update.v1',
  request: UpdateSecretRequest,
  reply: SecretView,
});
