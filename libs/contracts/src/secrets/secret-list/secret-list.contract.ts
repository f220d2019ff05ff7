import { Type } from 'class-transformer';
import { IsArray, IsString, ValidateIf, ValidateNested } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { TenantListRequest } from '../../core/list-request.js';
import { SecretView } from '../secret-view/secret-view.js';

/** A page of the tenant's secrets (search per SPEC P1). */
export class SecretListRequest extends TenantListRequest {}

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
export const SECRET_LIST_V1 = defineRequest({
  subject: 'secrets.req.secret.list.v1',
  request: SecretListRequest,
  reply: SecretPage,
});
