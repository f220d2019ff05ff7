import { IsUUID } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretRef } from '../secret-get/secret-get.contract.js';

export class SecretDeleteReply {
  /** The deleted secret's id. */
  @IsUUID()
  id!: string;
}

/**
 * Deletes a secret nobody uses (SPEC S5): CONFLICT (`in_use`, with `references`) when a profile
 * or directory service references it, UNAVAILABLE when one of those services cannot be asked.
 */
export const SECRET_DELETE_V1 = defineRequest({
  subject: 'secrets.req.secret.delete.v1',
  request: SecretRef,
  reply: SecretDeleteReply,
});
