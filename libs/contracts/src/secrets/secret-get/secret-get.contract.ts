import { IsUUID } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretView } from '../secret-view/secret-view.js';

export class SecretRef {
  /** The owning tenant; another tenant's secret is NOT_FOUND. */
  @IsUUID()
  tenantId!: string;
  /** The secret's id. */
  @IsUUID()
  id!: string;
}

/** One secret's metadata, with the objects that use it. */
export const SECRET_GET_V1 = defineRequest({
  subject: 'secrets.req.secret.get.v1',
  request: SecretRef,
  reply: SecretView,
});
