import type { Logger } from '@mailkeep/observability';
import { Inject, Injectable } from '@nestjs/common';

import { API_LOGGER } from '../tokens.js';
import { AUDIT_ANCHORS, type AuditAnchors } from './audit-anchors.js';
import type { AuditEntryEntity } from './audit-entry.entity.js';
import { anchorMac, auditHash, chainOf } from './audit-hash.js';
import { AUDIT_KEY, type AuditFilter, AuditRepository, type NewAuditEntry } from './audit.repository.js';
import { storableText } from './storable-text.js';

/** Why a chain does not verify: an entry does not fit, or its head is not the one last written. */
export type ChainProblem = 'entry-altered' | 'truncated' | 'anchor-missing' | 'anchor-forged';

export interface ChainVerification {
  readonly valid: boolean;
  readonly checked: number;
  readonly firstBrokenEntryId?: string;
  readonly problem?: ChainProblem;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    @Inject(API_LOGGER) private readonly logger: Logger,
    @Inject(AUDIT_KEY) private readonly key: Buffer,
    @Inject(AUDIT_ANCHORS) private readonly anchors: AuditAnchors,
  ) {}

  /**
   * Records an entry. A failure to record is logged as an error with the whole entry, so that an
   * operator can reconstruct it; the caller's request is not failed after its change was made.
   */
  async record(entry: NewAuditEntry): Promise<void> {
    const safe = storableEntry(entry);
    let written: AuditEntryEntity;
    try {
      written = await this.entries.append(safe);
    } catch (error) {
      this.logger.error('audit entry could not be written', { entry: safe, error });
      return;
    }
    // The new head goes outside PostgreSQL; a later append re-anchors if this one is lost.
    const anchor = { seq: written.seq, hash: written.hash };
    await this.anchors
      .write(written.chain, { ...anchor, mac: anchorMac(this.key, written.chain, anchor) })
      .catch((error: unknown) =>
        this.logger.warn('audit anchor could not be written', { chain: written.chain, error }),
      );
  }

  list(tenantId: string | null, filter: AuditFilter): Promise<AuditEntryEntity[]> {
    return this.entries.list(chainOf(tenantId), filter);
  }

  /**
   * Recomputes every hash of a chain from its first entry. The first entry whose hash, link to
   * its predecessor or sequence number does not fit is named: an edited row fails its own hash,
   * a deleted row breaks the sequence and the link of the entry after it. Then the chain must
   * reach the head anchored outside PostgreSQL: deleting the newest entries shows as truncation.
   * Legacy `sha256` entries count only before a chain's first keyed entry.
   */
  async verify(tenantId: string | null): Promise<ChainVerification> {
    const chain = chainOf(tenantId);
    const anchor = await this.anchors.read(chain);
    if (anchor && anchor.mac !== anchorMac(this.key, chain, anchor)) {
      return { valid: false, checked: 0, problem: 'anchor-forged' };
    }
    let checked = 0;
    let previousHash: string | null = null;
    let expectedSeq = 1n;
    let keyed = false;
    let anchorReached = false;
    for await (const batch of this.entries.walk(chain)) {
      for (const entry of batch) {
        keyed ||= entry.hashAlg === 'hmac-sha256';
        const intact =
          BigInt(entry.seq) === expectedSeq &&
          entry.previousHash === previousHash &&
          (entry.hashAlg === 'hmac-sha256' || !keyed) &&
          auditHash(entry, entry.hashAlg === 'hmac-sha256' ? this.key : null) === entry.hash;
        if (!intact) return { valid: false, checked, firstBrokenEntryId: entry.id, problem: 'entry-altered' };
        if (anchor && entry.seq === anchor.seq) {
          if (entry.hash !== anchor.hash) {
            return { valid: false, checked, firstBrokenEntryId: entry.id, problem: 'entry-altered' };
          }
          anchorReached = true;
        }
        checked++;
        previousHash = entry.hash;
        expectedSeq++;
      }
    }
    if (anchor && !anchorReached) return { valid: false, checked, problem: 'truncated' };
    // A keyed chain always has an anchor; its absence hides a truncation, so it is reported.
    if (!anchor && keyed) return { valid: false, checked, problem: 'anchor-missing' };
    return { valid: true, checked };
  }
}

/** The entry with every text as PostgreSQL can store it (see storableText). */
function storableEntry(entry: NewAuditEntry): NewAuditEntry {
  return {
    ...entry,
    action: storableText(entry.action, 100),
    objectType: storableText(entry.objectType, 50),
    objectId: entry.objectId === null ? null : storableText(entry.objectId, 200),
    requestId: storableText(entry.requestId, 128),
  };
}
