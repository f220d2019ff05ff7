import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';

import { AuditEntryEntity, type AuditOutcome } from './audit-entry.entity.js';
import { auditHash, chainOf } from './audit-hash.js';

export interface NewAuditEntry {
  readonly actorApiKeyId: string | null;
  readonly actorRole: string | null;
  readonly tenantId: string | null;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string | null;
  readonly outcome: AuditOutcome;
  readonly status: number;
  readonly requestId: string;
}

/** The audit key (see audit-key.ts), injected so that tests and replicas can give their own. */
export const AUDIT_KEY = Symbol('AUDIT_KEY');

export interface AuditFilter {
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly objectType?: string;
  readonly objectId?: string;
  readonly actorApiKeyId?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Entries with a smaller sequence number than this (the page cursor). */
  readonly beforeSeq?: string;
  readonly limit: number;
}

/** Rows read per round trip while verifying a chain: bounded memory at any chain length. */
const VERIFY_BATCH = 1_000;

@Injectable()
export class AuditRepository {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUDIT_KEY) private readonly key: Buffer,
  ) {}

  /**
   * Appends to the entry's chain. A transaction-scoped advisory lock per chain serialises appends,
   * so two replicas of the api never fork a chain; the unique (chain, seq) index backs that up.
   */
  async append(entry: NewAuditEntry): Promise<AuditEntryEntity> {
    const chain = chainOf(entry.tenantId);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `mailkeep.audit.${chain}`,
      ]);
      const last = await manager
        .getRepository(AuditEntryEntity)
        .createQueryBuilder('e')
        .select(['e.seq', 'e.hash'])
        .where('e.chain = :chain', { chain })
        .orderBy('e.seq', 'DESC')
        .limit(1)
        .getOne();
      const row = manager.getRepository(AuditEntryEntity).create({
        ...entry,
        id: randomUUID(),
        chain,
        seq: String(BigInt(last?.seq ?? '0') + 1n),
        at: new Date(),
        previousHash: last?.hash ?? null,
        hashAlg: 'hmac-sha256' as const,
      });
      row.hash = auditHash(row, this.key);
      return manager.getRepository(AuditEntryEntity).save(row);
    });
  }

  async list(chain: string, filter: AuditFilter): Promise<AuditEntryEntity[]> {
    const query = this.dataSource
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('e')
      .where('e.chain = :chain', { chain });
    applyFilter(query, filter);
    return query.orderBy('e.seq', 'DESC').limit(filter.limit).getMany();
  }

  /** Walks a chain from its start in batches, oldest first. */
  async *walk(chain: string): AsyncGenerator<AuditEntryEntity[]> {
    let afterSeq = '0';
    for (;;) {
      const batch = await this.dataSource
        .getRepository(AuditEntryEntity)
        .createQueryBuilder('e')
        .where('e.chain = :chain AND e.seq > :afterSeq', { chain, afterSeq })
        .orderBy('e.seq', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      if (batch.length === 0) return;
      yield batch;
      afterSeq = batch[batch.length - 1]?.seq ?? afterSeq;
    }
  }
}

function applyFilter(query: SelectQueryBuilder<AuditEntryEntity>, filter: AuditFilter): void {
  if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
  if (filter.outcome) query.andWhere('e.outcome = :outcome', { outcome: filter.outcome });
  if (filter.objectType) query.andWhere('e.objectType = :objectType', { objectType: filter.objectType });
  if (filter.objectId) query.andWhere('e.objectId = :objectId', { objectId: filter.objectId });
  if (filter.actorApiKeyId) query.andWhere('e.actorApiKeyId = :actor', { actor: filter.actorApiKeyId });
  if (filter.from) query.andWhere('e.at >= :from', { from: filter.from });
  if (filter.to) query.andWhere('e.at < :to', { to: filter.to });
  if (filter.beforeSeq) query.andWhere('e.seq < :beforeSeq', { beforeSeq: filter.beforeSeq });
}
