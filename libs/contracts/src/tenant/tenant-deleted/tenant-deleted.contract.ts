import { IsISO8601, IsUUID } from 'class-validator';

import { defineEvent } from '../../core/contract.js';
import { DOMAIN_EVENTS_STREAM } from '../../core/streams.js';

export class TenantDeletedEvent {
  /** The deleted tenant's id. Its archived mail is kept; services stop acting for it. */
  @IsUUID()
  tenantId!: string;
  /** When it was deleted (ISO-8601 UTC). */
  @IsISO8601()
  deletedAt!: string;
}

/** Published by the api when an operator deletes a tenant. */
export const TENANT_DELETED_V1 = defineEvent({
  subject: 'tenant.evt.tenant.deleted.v1',
  payload: TenantDeletedEvent,
  stream: DOMAIN_EVENTS_STREAM,
});
