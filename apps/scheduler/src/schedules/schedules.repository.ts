import { containsPattern, isUniqueViolation, searchAsId } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type Repository } from 'typeorm';

import { ScheduleEntity } from './schedule.entity.js';

export class DuplicateNameError extends Error {}

export interface SchedulePageQuery {
  readonly tenantId: string;
  readonly search?: string;
  readonly profileId?: string;
  readonly limit: number;
  readonly after?: { readonly createdAt: string; readonly id: string };
}

@Injectable()
export class SchedulesRepository {
  private readonly schedules: Repository<ScheduleEntity>;

  constructor(dataSource: DataSource) {
    this.schedules = dataSource.getRepository(ScheduleEntity);
  }

  /** Ids are opaque: anything that is not one of ours is simply not found. */
  async find(tenantId: string, id: string): Promise<ScheduleEntity | null> {
    const uuid = searchAsId(id);
    return uuid ? this.schedules.findOne({ where: { tenantId, id: uuid } }) : null;
  }

  /** Inserts or overwrites; the unique index on (tenant, lower(name)) decides name conflicts. */
  async save(schedule: ScheduleEntity): Promise<ScheduleEntity> {
    try {
      return await this.schedules.save(schedule);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateNameError(schedule.name);
      throw error;
    }
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.schedules.delete({ tenantId, id });
    return result.affected === 1;
  }

  /** Schedules of a tenant, oldest first, keyset-paged; search as P1. */
  page(query: SchedulePageQuery): Promise<ScheduleEntity[]> {
    const builder = this.schedules
      .createQueryBuilder('s')
      .where('s.tenantId = :tenantId', { tenantId: query.tenantId });
    if (query.profileId) builder.andWhere('s.profileId = :profileId', { profileId: query.profileId });
    if (query.search) {
      const id = searchAsId(query.search);
      const pattern = containsPattern(query.search);
      builder.andWhere(
        new Brackets((match) => {
          match.where(`s.nameKey LIKE :pattern ESCAPE '\\'`, { pattern });
          if (id) match.orWhere('s.id = :id', { id });
        }),
      );
    }
    if (query.after) {
      builder.andWhere('(s.createdAt, s.id) > (:afterCreatedAt, :afterId)', {
        afterCreatedAt: query.after.createdAt,
        afterId: query.after.id,
      });
    }
    return builder.orderBy('s.createdAt', 'ASC').addOrderBy('s.id', 'ASC').limit(query.limit).getMany();
  }

  /** The schedules that run a profile (the guard of P5). */
  targeting(tenantId: string, profileId: string): Promise<ScheduleEntity[]> {
    return this.schedules.find({ where: { tenantId, profileId }, order: { name: 'ASC' } });
  }
}
