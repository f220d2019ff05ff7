import {
  SECRET_CREATE_V2,
  SECRET_UPDATE_V2,
  SECRET_WRITE_KEY_V1,
  type SecretView,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';

import { sealWrite } from './sealed-write.js';

/**
 * The API's side of secret writes: asks the secrets service for the tenant's write key, seals
 * the request body to it and sends the sealed write. The key is asked for on every write rather
 * than cached: writes are rare operator actions, and a master key rotated in between then never
 * leaves a stale key behind. `body` is the HTTP body as received; the secrets service validates it.
 */
export async function createSecret(bus: MessageBus, tenantId: string, body: object): Promise<SecretView> {
  const key = await bus.request(SECRET_WRITE_KEY_V1, { tenantId });
  const sealed = sealWrite(key, { subject: SECRET_CREATE_V2.subject, tenantId }, body);
  return bus.request(SECRET_CREATE_V2, { tenantId, sealed });
}

export async function updateSecret(
  bus: MessageBus,
  tenantId: string,
  id: string,
  body: object,
): Promise<SecretView> {
  const key = await bus.request(SECRET_WRITE_KEY_V1, { tenantId });
  const sealed = sealWrite(key, { subject: SECRET_UPDATE_V2.subject, tenantId, id }, body);
  return bus.request(SECRET_UPDATE_V2, { tenantId, id, sealed });
}
