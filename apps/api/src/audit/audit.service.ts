import type { Logger } from '@mailkeep/observability';
import { Inject, Injectable } from '@nestjs/common';

import { API_LOGGER } from '../tokens.js';
import type { AuditEntryEntity } from './audit-entry.entity.js';
import { auditHash, chainOf } from './audit-hash.js';
import { type AuditFilter, AuditRepository, type NewAuditEntry } from './audit.repository.js';

export interface ChainVerification {
  readonly valid: boolean;
  readonly checked: number;
  readonly firstBrokenEntryId?: string;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Records an entry. A failure to record is logged as an error with the whole entry, so that an
   * operator can reconstruct it; the caller's request is not failed after its change was made.
   */
  async record(entry: NewAuditEntry): Promise<void> {
    try {
      await this.entries.append(entry);
    } catch (error) {
      this.logger.error('audit entry could not be written', { entry, error });
    }
  }

  list(tenantId: string | null, filter: AuditFilter): Promise<AuditEntryEntity[]> {
    return this.entries.list(chainOf(tenantId), filter);
  }

  /**
   * Recomputes every hash of a chain from its first entry. The first entry whose hash, link to
   * its predecessor or sequence number does not fit is named: an edited row fails its own hash,
   * a deleted row breaks the sequence and the link of the entry after it.
   */
  async verify(tenantId: string | null): Promise<ChainVerification> {
    let checked = 0;
    let previousHash: string | null = null;
    let expectedSeq = 1n;
    for await (const batch of this.entries.walk(chainOf(tenantId))) {
      for (const entry of batch) {
        const intact =
          BigInt(entry.seq) === expectedSeq &&
          entry.previousHash === previousHash &&
          auditHash(entry) === entry.hash;
        if (!intact) return { valid: false, checked, firstBrokenEntryId: entry.id };
        checked++;
        previousHash = entry.hash;
        expectedSeq++;
      }
    }
    return { valid: true, checked };
  }
}
