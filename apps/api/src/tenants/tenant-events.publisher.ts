import { TENANT_CREATED_V1, TENANT_DELETED_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

import type { TenantEntity } from './tenant.entity.js';

/** Tells other services about tenants. The message id makes a re-publish after a retry harmless. */
@Injectable()
export class TenantEventsPublisher {
  constructor(private readonly bus: MessageBus) {}

  async created(tenant: TenantEntity): Promise<void> {
    await this.bus.publish(
      TENANT_CREATED_V1,
      { tenantId: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() },
      { msgId: `tenant-created-${tenant.id}` },
    );
  }

  async deleted(tenant: TenantEntity, deletedAt: Date): Promise<void> {
    await this.bus.publish(
      TENANT_DELETED_V1,
      { tenantId: tenant.id, deletedAt: deletedAt.toISOString() },
      { msgId: `tenant-deleted-${tenant.id}` },
    );
  }
}
