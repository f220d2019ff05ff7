import { containsPattern, isUniqueViolation, searchAsId } from '@mailkeep/persistence';
import { ContractError } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, IsNull, type Repository } from 'typeorm';

import { TenantEntity } from './tenant.entity.js';

export interface TenantPageQuery {
  readonly search?: string;
  readonly limit: number;
  readonly after?: { readonly createdAt: string; readonly id: string };
}

@Injectable()
export class TenantsRepository {
  private readonly tenants: Repository<TenantEntity>;

  constructor(dataSource: DataSource) {
    this.tenants = dataSource.getRepository(TenantEntity);
  }

  async existsLive(id: string): Promise<boolean> {
    const uuid = searchAsId(id);
    return uuid !== undefined && this.tenants.exists({ where: { id: uuid, deletedAt: IsNull() } });
  }

  /** Ids are opaque to callers: anything that is not one of ours is simply not found. */
  async findLive(id: string): Promise<TenantEntity | null> {
    const uuid = searchAsId(id);
    return uuid === undefined ? null : this.tenants.findOne({ where: { id: uuid, deletedAt: IsNull() } });
  }

  /** Inserts; the unique index on the live name decides conflicts, not a check-then-insert. */
  async insert(tenant: TenantEntity): Promise<TenantEntity> {
    try {
      return await this.tenants.save(tenant);
    } catch (error) {
      throw translateNameConflict(error, tenant.name);
    }
  }

  async update(tenant: TenantEntity): Promise<TenantEntity> {
    try {
      return await this.tenants.save(tenant);
    } catch (error) {
      throw translateNameConflict(error, tenant.name);
    }
  }

  /** Live tenants, oldest first, by keyset on (created_at, id). */
  page(query: TenantPageQuery): Promise<TenantEntity[]> {
    const builder = this.tenants.createQueryBuilder('t').where('t.deletedAt IS NULL');
    if (query.search) {
      const id = searchAsId(query.search);
      builder.andWhere(
        new Brackets((match) => {
          match.where(`t.nameKey LIKE :pattern ESCAPE '\\'`, {
            pattern: containsPattern(query.search ?? ''),
          });
          if (id) match.orWhere('t.id = :id', { id });
        }),
      );
    }
    if (query.after) {
      builder.andWhere('(t.createdAt, t.id) > (:afterCreatedAt, :afterId)', {
        afterCreatedAt: query.after.createdAt,
        afterId: query.after.id,
      });
    }
    return builder.orderBy('t.createdAt', 'ASC').addOrderBy('t.id', 'ASC').limit(query.limit).getMany();
  }
}

function translateNameConflict(error: unknown, name: string): unknown {
  if (isUniqueViolation(error)) {
    return new ContractError('CONFLICT', `A tenant named "${name}" already exists`, {
      reason: 'duplicate_name',
    });
  }
  return error;
}
