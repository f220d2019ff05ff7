import { IsUUID } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretRef } from '../get-secret/get-secret.contract.js';

export class DeleteSecretReply {
  /** The deleted secret's id. */
  @IsUUID()
  id!: string;
}

/**
 * Deletes a secret nobody uses (SPEC S5): CONFLICT (`in_use`, with `references`) when a profile
 * or directory service references it, UNAVAILABLE when one of those services cannot be asked.
 */
export const SECRETS_DELETE_V1 = defineRequest({
  subject: 'secrets.req.secret.delete.v1',
  request: SecretRef,
  reply: DeleteSecretReply,
});
