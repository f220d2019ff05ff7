import type { BeforeCommit } from '@mailkeep/persistence';
import { containsPattern, isUniqueViolation, searchAsId, writeBeforeCommit } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type Repository } from 'typeorm';

import { DirectoryServiceEntity, type StoredSyncResult } from './directory-service.entity.js';

export class DuplicateNameError extends Error {}

export interface DirectoryServicePageQuery {
  readonly tenantId: string;
  readonly search?: string;
  readonly limit: number;
  readonly after?: { readonly nameKey: string; readonly id: string };
}

@Injectable()
export class DirectoryServicesRepository {
  private readonly services: Repository<DirectoryServiceEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.services = dataSource.getRepository(DirectoryServiceEntity);
  }

  /** Ids are opaque: anything that is not a UUID of this tenant is simply not found. */
  find(tenantId: string, id: string): Promise<DirectoryServiceEntity | null> {
    const uuid = searchAsId(id);
    return uuid === undefined
      ? Promise.resolve(null)
      : this.services.findOne({ where: { tenantId, id: uuid } });
  }

  /**
   * Inserts or updates; the unique index on (tenant, lower(name)) decides duplicates. `check` sees
   * the saved row before the commit; when it throws, nothing changes.
   */
  async save(
    service: DirectoryServiceEntity,
    check?: BeforeCommit<DirectoryServiceEntity>,
  ): Promise<DirectoryServiceEntity> {
    try {
      return await writeBeforeCommit(
        this.dataSource,
        (manager) => manager.getRepository(DirectoryServiceEntity).save(service),
        check,
      );
    } catch (error) {
      if (isUniqueViolation(error, 'ux_directory_service_tenant_name')) throw new DuplicateNameError();
      throw error;
    }
  }

  async saveLastSync(tenantId: string, id: string, result: StoredSyncResult): Promise<void> {
    await this.services.update({ tenantId, id }, { lastSync: result });
  }

  /** By name, then id (keyset). */
  page(query: DirectoryServicePageQuery): Promise<DirectoryServiceEntity[]> {
    const builder = this.services.createQueryBuilder('d').where('d.tenantId = :tenantId', {
      tenantId: query.tenantId,
    });
    if (query.search) {
      const id = searchAsId(query.search);
      const pattern = containsPattern(query.search);
      builder.andWhere(
        new Brackets((match) => {
          match.where(`d.nameKey LIKE :pattern ESCAPE '\\'`, { pattern });
          if (id) match.orWhere('d.id = :id', { id });
        }),
      );
    }
    if (query.after) {
      builder.andWhere('(d.nameKey, d.id) > (:afterName, :afterId)', {
        afterName: query.after.nameKey,
        afterId: query.after.id,
      });
    }
    return builder.orderBy('d.nameKey', 'ASC').addOrderBy('d.id', 'ASC').limit(query.limit).getMany();
  }

  /** Mailboxes per directory service, for the given ids. */
  async memberCounts(tenantId: string, ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; count: string }[] = await this.dataSource.query(
      `SELECT directory_service_id AS id, count(*) AS count FROM directory.mailbox
        WHERE tenant_id = $1 AND directory_service_id = ANY($2::uuid[]) GROUP BY directory_service_id`,
      [tenantId, ids],
    );
    return new Map(rows.map((row) => [row.id, Number(row.count)]));
  }

  /** Services of the tenant that authenticate with the secret (none for static). */
  usingSecret(tenantId: string, secretId: string): Promise<DirectoryServiceEntity[]> {
    return this.services.find({
      where: { tenantId, credentialsSecretId: secretId },
      order: { nameKey: 'ASC' },
    });
  }

  /** Deletes the service; its mailboxes stay, unassigned and editable by hand. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE directory.mailbox SET directory_service_id = NULL, external_id = NULL, origin = 'manual', updated_at = now()
          WHERE tenant_id = $1 AND directory_service_id = $2`,
        [tenantId, id],
      );
      const result = await manager.delete(DirectoryServiceEntity, { tenantId, id });
      return (result.affected ?? 0) > 0;
    });
  }
}
