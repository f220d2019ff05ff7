import { ContractError } from '@mailkeep/contracts';
import { containsPattern, isUniqueViolation, searchAsId } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, MoreThan, Not, type Repository } from 'typeorm';

import type { SealedValue } from '../crypto/envelope.js';
import { SecretEntity } from './secret.entity.js';

/** The envelope columns, never selected unless asked for (CONVENTIONS: sensitive columns). */
const SEALED_COLUMNS = ['keyId', 'wrappedKey', 'iv', 'tag', 'ciphertext'] as const;

export interface SecretPageQuery {
  readonly tenantId: string;
  readonly search?: string;
  readonly limit: number;
  readonly after?: { readonly nameKey: string; readonly id: string };
}

export type SecretRow = SecretEntity;

@Injectable()
export class SecretsRepository {
  private readonly secrets: Repository<SecretEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.secrets = dataSource.getRepository(SecretEntity);
  }

  /** Inserts; the unique index on (tenant, lower(name)) decides conflicts, not a lookup first. */
  async insert(secret: SecretEntity): Promise<void> {
    try {
      await this.secrets.insert(secret);
    } catch (error) {
      throw translateNameConflict(error, secret.name);
    }
  }

  /** Metadata only (the envelope columns stay unselected). */
  find(tenantId: string, id: string): Promise<SecretEntity | null> {
    return this.secrets.findOne({ where: { tenantId, id } });
  }

  /** With the envelope columns, for resolve. */
  findSealed(tenantId: string, id: string): Promise<SecretEntity | null> {
    return this.secrets
      .createQueryBuilder('s')
      .addSelect(SEALED_COLUMNS.map((column) => `s.${column}`))
      .where('s.tenantId = :tenantId AND s.id = :id', { tenantId, id })
      .getOne();
  }

  /** Writes the changed columns of a secret; a taken name is CONFLICT. */
  async update(tenantId: string, id: string, changes: Partial<SecretEntity>): Promise<void> {
    try {
      await this.secrets.update({ tenantId, id }, changes);
    } catch (error) {
      throw translateNameConflict(error, changes.name ?? '');
    }
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.secrets.delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }

  /** A tenant's secrets by lower(name), then id, by keyset (SPEC P1 search). */
  page(query: SecretPageQuery): Promise<SecretEntity[]> {
    const builder = this.secrets
      .createQueryBuilder('s')
      .where('s.tenantId = :tenantId', { tenantId: query.tenantId });
    if (query.search) {
      const id = searchAsId(query.search);
      builder.andWhere(
        new Brackets((match) => {
          match.where(`s.nameKey LIKE :pattern ESCAPE '\\'`, {
            pattern: containsPattern(query.search ?? ''),
          });
          if (id) match.orWhere('s.id = :id', { id });
        }),
      );
    }
    if (query.after) {
      builder.andWhere('(s.nameKey, s.id) > (:afterName, :afterId)', {
        afterName: query.after.nameKey,
        afterId: query.after.id,
      });
    }
    return builder.orderBy('s.nameKey', 'ASC').addOrderBy('s.id', 'ASC').limit(query.limit).getMany();
  }

  /** Ids of rows whose data key is wrapped by another master key than `keyId`, after `afterId`. */
  async idsWrappedByOtherKey(keyId: string, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.secrets.find({
      select: { id: true },
      where: { keyId: Not(keyId), id: MoreThan(afterId) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /**
   * Re-wraps one row in its own short transaction, the row locked so that a concurrent update
   * cannot interleave. `rewrap` gets the stored envelope and returns the new one. Resolves
   * whether the row was changed (false when it is gone or already wrapped by the current key).
   */
  rewrapRow(
    id: string,
    currentKeyId: string,
    rewrap: (sealed: SealedValue, binding: { tenantId: string; secretId: string }) => SealedValue,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager
        .getRepository(SecretEntity)
        .createQueryBuilder('s')
        .select(['s.id', 's.tenantId', ...SEALED_COLUMNS.map((column) => `s.${column}`)])
        .where('s.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!row || row.keyId === currentKeyId) return false;
      const next = rewrap(row, { tenantId: row.tenantId, secretId: row.id });
      await manager
        .getRepository(SecretEntity)
        .update({ id }, { keyId: next.keyId, wrappedKey: next.wrappedKey });
      return true;
    });
  }
}

function translateNameConflict(error: unknown, name: string): unknown {
  if (isUniqueViolation(error)) {
    return new ContractError('CONFLICT', `A secret named "${name}" already exists`, {
      reason: 'duplicate_name',
    });
  }
  return error;
}
