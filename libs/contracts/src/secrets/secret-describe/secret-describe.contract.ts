import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretRef } from '../secret-get/secret-get.contract.js';
import { SECRET_TYPES, type SecretType } from '../secret-view/secret-view.js';

export class SecretDescribeReply {
  /** The secret's id. */
  @IsUUID()
  id!: string;
  /** Its name. */
  @IsString()
  @MaxLength(200)
  name!: string;
  /** Its type, so that a profile can check it fits (P9). */
  @IsIn(SECRET_TYPES)
  type!: SecretType;
}

/** Id, name and type of a secret, for other services' checks; NOT_FOUND when absent. */
export const SECRET_DESCRIBE_V1 = defineRequest({
  subject: 'secrets.req.secret.describe.v1',
  request: SecretRef,
  reply: SecretDescribeReply,
});
