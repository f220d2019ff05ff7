import {
  type CreateSecretRequest,
  type DescribeSecretReply,
  type ListSecretsRequest,
  type ResolveSecretRequest,
  type SealedSecret,
  type SecretCertificateReply,
  type SecretPage,
  type SecretRef,
  type SecretView,
  SECRETS_CERTIFICATE_V1,
  SECRETS_CREATE_V1,
  SECRETS_DELETE_V1,
  SECRETS_DESCRIBE_V1,
  SECRETS_GET_V1,
  SECRETS_LIST_V1,
  SECRETS_RESOLVE_V2,
  SECRETS_UPDATE_V1,
  type UpdateSecretRequest,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { sealSecret } from '@mailkeep/secrets-crypto';
import { Controller } from '@nestjs/common';

import { SecretsService } from './secrets.service.js';

/** The secrets service's NATS endpoints: validated requests in, coded errors out. */
@Controller()
export class SecretsHandler {
  constructor(private readonly secrets: SecretsService) {}

  @HandleRequest(SECRETS_CREATE_V1)
  create(request: CreateSecretRequest): Promise<SecretView> {
    return this.secrets.create(request);
  }

  @HandleRequest(SECRETS_GET_V1)
  get(request: SecretRef): Promise<SecretView> {
    return this.secrets.get(request);
  }

  @HandleRequest(SECRETS_LIST_V1)
  list(request: ListSecretsRequest): Promise<SecretPage> {
    return this.secrets.list(request);
  }

  @HandleRequest(SECRETS_UPDATE_V1)
  update(request: UpdateSecretRequest): Promise<SecretView> {
    return this.secrets.update(request);
  }

  @HandleRequest(SECRETS_DELETE_V1)
  delete(request: SecretRef): Promise<{ id: string }> {
    return this.secrets.delete(request);
  }

  @HandleRequest(SECRETS_CERTIFICATE_V1)
  certificate(request: SecretRef): Promise<SecretCertificateReply> {
    return this.secrets.certificate(request);
  }

  @HandleRequest(SECRETS_DESCRIBE_V1)
  describe(request: SecretRef): Promise<DescribeSecretReply> {
    return this.secrets.describe(request);
  }

  /**
   * The plaintext sealed to the requester's one-time key (decision 0022): reachable only by the
   * connector and directory NATS users (deploy/nats), readable only by the process that asked.
   */
  @HandleRequest(SECRETS_RESOLVE_V2)
  async resolve(request: ResolveSecretRequest): Promise<SealedSecret> {
    const plaintext = await this.secrets.resolve({ tenantId: request.tenantId, id: request.id });
    return sealSecret(request, plaintext);
  }
}
