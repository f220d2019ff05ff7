import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type Repository } from 'typeorm';

import { TenantEntity } from '../tenants/tenant.entity.js';
import { ApiKeyEntity } from './api-key.entity.js';

@Injectable()
export class ApiKeysRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  /** The live key with this hash whose tenant (if any) is live too. */
  async findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.keys
      .createQueryBuilder('k')
      .leftJoin(TenantEntity, 't', 't.id = k.tenantId')
      .where('k.keyHash = :keyHash', { keyHash })
      .andWhere('k.revokedAt IS NULL')
      .andWhere('(k.tenantId IS NULL OR t.deletedAt IS NULL)')
      .getOne();
  }

  insert(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.keys.save(key);
  }

  listActive(tenantId: string | null): Promise<ApiKeyEntity[]> {
    return this.keys.find({
      where: { tenantId: tenantId ?? IsNull(), revokedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  findActive(tenantId: string | null, id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { id, tenantId: tenantId ?? IsNull(), revokedAt: IsNull() } });
  }

  async revoke(id: string): Promise<void> {
    await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async revokeAllOfTenant(tenantId: string): Promise<void> {
    await this.keys.update({ tenantId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /**
   * Runs fn in a transaction holding a lock, so that replicas starting together handle the
   * bootstrap key one at a time (and never generate two).
   */
  async withBootstrapLock<T>(fn: (store: BootstrapKeyStore) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('mailkeep.api.bootstrap-key', 0))`);
      return fn(new BootstrapKeyStore(manager.getRepository(ApiKeyEntity)));
    });
  }
}

/** The queries bootstrap-key handling needs, bound to the locked transaction. */
export class BootstrapKeyStore {
  constructor(private readonly keys: Repository<ApiKeyEntity>) {}

  findLiveBootstrapKey(): Promise<ApiKeyEntity | null> {
    return this.keys
      .createQueryBuilder('k')
      .addSelect('k.keyHash')
      .where('k.bootstrap = true AND k.revokedAt IS NULL')
      .getOne();
  }

  hasLiveOperatorKey(): Promise<boolean> {
    return this.keys
      .createQueryBuilder('k')
      .where(`k.role = 'operator' AND k.tenantId IS NULL AND k.revokedAt IS NULL`)
      .getExists();
  }

  async revoke(id: string): Promise<void> {
    await this.keys.update({ id }, { revokedAt: new Date() });
  }

  insert(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.keys.save(key);
  }
}
