import type { ReferencedKind } from '@mailkeep/contracts';
import type { BeforeCommit } from '@mailkeep/persistence';
import { containsPattern, isUniqueViolation, searchAsId, writeBeforeCommit } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type Repository } from 'typeorm';

import { ProfileEntity } from './profile.entity.js';

export class DuplicateNameError extends Error {}
export class StaleVersionError extends Error {}

export interface ProfilePageQuery {
  readonly tenantId: string;
  readonly search?: string;
  readonly limit: number;
  readonly after?: { readonly createdAt: string; readonly id: string };
}

@Injectable()
export class ProfilesRepository {
  private readonly profiles: Repository<ProfileEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.profiles = dataSource.getRepository(ProfileEntity);
  }

  /** Ids are opaque: anything that is not one of ours is simply not found. */
  async find(tenantId: string, id: string): Promise<ProfileEntity | null> {
    const uuid = searchAsId(id);
    return uuid ? this.profiles.findOne({ where: { tenantId, id: uuid } }) : null;
  }

  /**
   * The unique index on (tenant, lower(name)) decides conflicts. `check` sees the stored row
   * before the commit; when it throws, nothing is stored.
   */
  async insert(profile: ProfileEntity, check?: BeforeCommit<ProfileEntity>): Promise<ProfileEntity> {
    try {
      return await writeBeforeCommit(
        this.dataSource,
        (manager) => manager.getRepository(ProfileEntity).save(profile),
        check,
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateNameError(profile.name);
      throw error;
    }
  }

  /**
   * Writes the new state only if the row still has the version the change was based on, so two
   * concurrent edits cannot silently overwrite each other. `check` sees the new state before the
   * commit; when it throws, the row keeps its old state.
   */
  async update(
    profile: ProfileEntity,
    basedOnVersion: number,
    check?: BeforeCommit<ProfileEntity>,
  ): Promise<ProfileEntity> {
    try {
      return await writeBeforeCommit(
        this.dataSource,
        async (manager) => {
          const result = await manager
            .getRepository(ProfileEntity)
            .createQueryBuilder()
            .update(ProfileEntity)
            .set({
              name: profile.name,
              nameKey: profile.nameKey,
              mode: profile.mode,
              credentialsSecretId: profile.credentialsSecretId,
              mailboxId: profile.mailboxId,
              directoryServiceId: profile.directoryServiceId,
              deleteInSource: profile.deleteInSource,
              settings: profile.settings,
              version: basedOnVersion + 1,
              updatedAt: profile.updatedAt,
            })
            .where('id = :id AND tenant_id = :tenantId AND version = :version', {
              id: profile.id,
              tenantId: profile.tenantId,
              version: basedOnVersion,
            })
            .execute();
          if (result.affected !== 1) throw new StaleVersionError(profile.id);
          return { ...profile, version: basedOnVersion + 1 };
        },
        check,
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateNameError(profile.name);
      throw error;
    }
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.profiles.delete({ tenantId, id });
    return result.affected === 1;
  }

  /** Profiles of a tenant, oldest first, keyset-paged; search per P1 (index-backed, see the migration). */
  page(query: ProfilePageQuery): Promise<ProfileEntity[]> {
    const builder = this.profiles
      .createQueryBuilder('p')
      .where('p.tenantId = :tenantId', { tenantId: query.tenantId });
    if (query.search) {
      const id = searchAsId(query.search);
      const pattern = containsPattern(query.search);
      builder.andWhere(
        new Brackets((match) => {
          match.where(`p.nameKey LIKE :pattern ESCAPE '\\'`, { pattern });
          if (id) match.orWhere('p.id = :id', { id });
        }),
      );
    }
    if (query.after) {
      builder.andWhere('(p.createdAt, p.id) > (:afterCreatedAt, :afterId)', {
        afterCreatedAt: query.after.createdAt,
        afterId: query.after.id,
      });
    }
    return builder.orderBy('p.createdAt', 'ASC').addOrderBy('p.id', 'ASC').limit(query.limit).getMany();
  }

  /** Profiles that point at an object of another service (guarded deletes S5, D2, D5). */
  async referencing(tenantId: string, kind: ReferencedKind, id: string): Promise<ProfileEntity[]> {
    const where = {
      secret: 'credentialsSecretId',
      mailbox: 'mailboxId',
      'directory-service': 'directoryServiceId',
    } as const;
    if (kind === 'archiving-profile') return [];
    return this.profiles
      .createQueryBuilder('p')
      .where('p.tenantId = :tenantId', { tenantId })
      .andWhere(`p.${where[kind]} = :id`, { id })
      .orderBy('p.name', 'ASC')
      .getMany();
  }
}
