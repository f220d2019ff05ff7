import {
  SecretCreateBody,
  type SecretDescribeReply,
  type SecretListRequest,
  type SecretResolveRequest,
  type SealedSecret,
  type SecretCertificateReply,
  type SecretPage,
  type SecretRef,
  type SecretView,
  SECRET_CERTIFICATE_V1,
  SECRET_CREATE_V2,
  SECRET_DELETE_V1,
  SECRET_DESCRIBE_V1,
  SECRET_GET_V1,
  SECRET_LIST_V1,
  SECRET_RESOLVE_V2,
  SECRET_UPDATE_V2,
  SECRET_WRITE_KEY_V1,
  type SecretCreateRequest,
  type SecretUpdateRequest,
  type SecretWriteKey,
  type SecretWriteKeyRequest,
  SecretUpdateBody,
} from '@mailkeep/contracts';
import { HandleRequest, toValidPayload } from '@mailkeep/messaging';
import { sealSecret } from '@mailkeep/secrets-crypto';
import { Controller } from '@nestjs/common';

import { SecretWriteKeys } from './secret-write-keys.js';
import { SecretsService } from './secrets.service.js';

/** The secrets service's NATS endpoints: validated requests in, coded errors out. */
@Controller()
export class SecretsHandler {
  constructor(
    private readonly secrets: SecretsService,
    private readonly writeKeys: SecretWriteKeys,
  ) {}

  /** The key the API seals a write's body to (decision 0026). */
  @HandleRequest(SECRET_WRITE_KEY_V1)
  writeKey(request: SecretWriteKeyRequest): SecretWriteKey {
    return this.writeKeys.current(request.tenantId);
  }

  /** The sealed body opened, then validated as the plaintext create request it holds. */
  @HandleRequest(SECRET_CREATE_V2)
  async create({ tenantId, sealed }: SecretCreateRequest): Promise<SecretView> {
    const body = this.writeKeys.open(sealed, { subject: SECRET_CREATE_V2.subject, tenantId });
    return this.secrets.create(await toValidPayload(SecretCreateBody, withFields(body, { tenantId })));
  }

  @HandleRequest(SECRET_GET_V1)
  get(request: SecretRef): Promise<SecretView> {
    return this.secrets.get(request);
  }

  @HandleRequest(SECRET_LIST_V1)
  list(request: SecretListRequest): Promise<SecretPage> {
    return this.secrets.list(request);
  }

  @HandleRequest(SECRET_UPDATE_V2)
  async update({ tenantId, id, sealed }: SecretUpdateRequest): Promise<SecretView> {
    const body = this.writeKeys.open(sealed, { subject: SECRET_UPDATE_V2.subject, tenantId, id });
    return this.secrets.update(await toValidPayload(SecretUpdateBody, withFields(body, { tenantId, id })));
  }

  @HandleRequest(SECRET_DELETE_V1)
  delete(request: SecretRef): Promise<{ id: string }> {
    return this.secrets.delete(request);
  }

  @HandleRequest(SECRET_CERTIFICATE_V1)
  certificate(request: SecretRef): Promise<SecretCertificateReply> {
    return this.secrets.certificate(request);
  }

  @HandleRequest(SECRET_DESCRIBE_V1)
  describe(request: SecretRef): Promise<SecretDescribeReply> {
    return this.secrets.describe(request);
  }

  /**
   * The plaintext sealed to the requester's one-time key (decision 0022): reachable only by the
   * connector and directory NATS users (deploy/nats), readable only by the process that asked.
   */
  @HandleRequest(SECRET_RESOLVE_V2)
  async resolve(request: SecretResolveRequest): Promise<SealedSecret> {
    const plaintext = await this.secrets.resolve({ tenantId: request.tenantId, id: request.id });
    return sealSecret(request, plaintext);
  }
}

/** The opened body with the envelope's clear fields, which win; a body that is no object stays as it is to be refused. */
function withFields(body: unknown, fields: Record<string, string>): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, ...fields } : body;
}
