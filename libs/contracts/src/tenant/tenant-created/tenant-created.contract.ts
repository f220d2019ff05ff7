import { IsISO8601, IsString, IsUUID, Length } from 'class-validator';

import { defineEvent } from '../../core/contract.js';
import { DOMAIN_EVENTS_STREAM } from '../../core/streams.js';

export class TenantCreatedEvent {
  /** The new tenant's id (UUID). */
  @IsUUID()
  tenantId!: string;
  /** The tenant's display name. */
  @IsString()
  @Length(1, 200)
  name!: string;
  /** When it was created (ISO-8601 UTC). */
  @IsISO8601()
  createdAt!: string;
}

/** Published by the api when an operator creates a tenant. */
export const TENANT_CREATED_V1 = defineEvent({
  subject: 'tenant.evt.tenant.created.v1',
  payload: TenantCreatedEvent,
  stream: DOMAIN_EVENTS_STREAM,
});
