import { randomUUID } from 'node:crypto';

import { ContractError } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';

import { ApiKeysRepository } from '../api-keys/api-keys.repository.js';
import { type Page, pageSize, parseCursor, toPage } from '../http/paging.js';
import type { CreateTenantDto, TenantDto, UpdateTenantDto } from './dto/tenant.dto.js';
import { TenantEventsPublisher } from './tenant-events.publisher.js';
import { TenantEntity } from './tenant.entity.js';
import { TenantsRepository } from './tenants.repository.js';

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly events: TenantEventsPublisher,
  ) {}

  async create(input: CreateTenantDto): Promise<TenantDto> {
    const tenant = Object.assign(new TenantEntity(), {
      id: randomUUID(),
      name: input.name,
      nameKey: input.name.toLowerCase(),
      createdAt: new Date(),
      deletedAt: null,
    });
    const saved = await this.tenants.insert(tenant);
    await this.events.created(saved);
    return toTenantDto(saved);
  }

  async list(query: { search?: string; limit?: number; cursor?: string }): Promise<Page<TenantDto>> {
    const limit = pageSize(query.limit);
    const cursor = parseCursor(query.cursor, 'instant');
    const rows = await this.tenants.page({
      ...(query.search && { search: query.search }),
      limit: limit + 1,
      ...(cursor && { after: { createdAt: cursor.after, id: cursor.id } }),
    });
    return toPage(rows, limit, toTenantDto, (row) => ({ after: row.createdAt.toISOString(), id: row.id }));
  }

  async get(id: string): Promise<TenantDto> {
    return toTenantDto(await this.require(id));
  }

  async update(id: string, input: UpdateTenantDto): Promise<TenantDto> {
    const tenant = await this.require(id);
    if (input.name !== undefined) {
      tenant.name = input.name;
      tenant.nameKey = input.name.toLowerCase();
    }
    return toTenantDto(await this.tenants.update(tenant));
  }

  /**
   * Deletes a tenant for the API: it answers 404 from now on and its keys stop working. Nothing
   * archived is deleted; the event lets other services stop acting for it.
   */
  async delete(id: string): Promise<void> {
    const tenant = await this.require(id);
    const deletedAt = new Date();
    tenant.deletedAt = deletedAt;
    await this.tenants.update(tenant);
    await this.keys.revokeAllOfTenant(tenant.id);
    await this.events.deleted(tenant, deletedAt);
  }

  private async require(id: string): Promise<TenantEntity> {
    const tenant = await this.tenants.findLive(id);
    if (!tenant) throw new ContractError('NOT_FOUND', 'No such tenant');
    return tenant;
  }
}

export function toTenantDto(tenant: TenantEntity): TenantDto {
  return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
}
