import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretView } from '../secret-view/secret-view.js';

export class ListSecretsRequest {
  /** The owning tenant. */
  @IsUUID()
  tenantId!: string;
  /** SPEC P1: name includes it or id equals it, case-insensitively; `%` and `_` literal. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
  /** Page size, 1–200 (default 50). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  /** The previous page's nextCursor. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class SecretPage {
  /** The secrets of this page, by name. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SecretView)
  items!: SecretView[];
  /** Cursor of the next page; null on the last. */
  @ValidateIf((_, value) => value !== null)
  @IsString()
  nextCursor!: string | null;
}

/** A page of a tenant's secrets, ordered by name. */
export const SECRETS_LIST_V1 = defineRequest({
  subject: 'secrets.req.secret.list.v1',
  request: ListSecretsRequest,
  reply: SecretPage,
});
