import { type ResolvedSecret, SECRET_DESCRIBE_V1, type SecretType } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { findSecret } from '@mailkeep/secrets-crypto';
import { Injectable } from '@nestjs/common';

/**
 * The secrets service, over request–reply. NOT_FOUND becomes `undefined` (the caller turns it
 * into a field error or a clear failure); any other failure, a missing responder included,
 * propagates: a secret must never pass as checked.
 */
@Injectable()
export class SecretsClient {
  constructor(private readonly bus: MessageBus) {}

  /** The type of a secret of the tenant, to check it fits a directory-service type. */
  async typeOf(tenantId: string, id: string): Promise<SecretType | undefined> {
    return (await this.bus.find(SECRET_DESCRIBE_V1, { tenantId, id }))?.type;
  }

  /** The plaintext, just in time for one sync or test (SPEC S7); never stored or logged. */
  resolve(tenantId: string, id: string): Promise<ResolvedSecret | undefined> {
    return findSecret(this.bus, { tenantId, id });
  }
}
