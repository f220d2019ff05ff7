import { IsString, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SecretRef } from '../secret-get/secret-get.contract.js';

export class SecretCertificateReply {
  /** The public certificate, PEM (never the private key). */
  @IsString()
  @MaxLength(65_536)
  certificatePem!: string;
}

/** The public certificate of a `certificate` secret (SPEC S3); NOT_FOUND for other types. */
export const SECRET_CERTIFICATE_V1 = defineRequest({
  subject: 'secrets.req.secret.certificate.v1',
  request: SecretRef,
  reply: SecretCertificateReply,
});
