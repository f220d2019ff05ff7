import { createHash } from 'node:crypto';

/** The fields an audit hash covers, in a fixed order: changing any of them breaks the chain. */
export interface HashedAuditFields {
  readonly id: string;
  readonly chain: string;
  readonly seq: string;
  readonly at: Date;
  readonly actorApiKeyId: string | null;
  readonly actorRole: string | null;
  readonly tenantId: string | null;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string | null;
  readonly outcome: string;
  readonly status: number;
  readonly requestId: string;
  readonly previousHash: string | null;
}

export function auditHash(entry: HashedAuditFields): string {
  // An array, not an object: the order is part of the definition and cannot shift with key order.
  const canonical = JSON.stringify([
    entry.id,
    entry.chain,
    entry.seq,
    entry.at.toISOString(),
    entry.actorApiKeyId,
    entry.actorRole,
    entry.tenantId,
    entry.action,
    entry.objectType,
    entry.objectId,
    entry.outcome,
    entry.status,
    entry.requestId,
    entry.previousHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Entries without a tenant (platform actions, failed authentication) chain here. */
export const PLATFORM_CHAIN = 'platform';

export function chainOf(tenantId: string | null): string {
  return tenantId ?? PLATFORM_CHAIN;
}
