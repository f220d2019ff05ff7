import { createHash, createHmac } from 'node:crypto';

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

/**
 * `hmac-sha256` keys each hash with the audit key, which lives outside PostgreSQL: whoever can
 * write the table cannot recompute a chain. `sha256` is how entries were sealed before the key
 * existed; verification accepts it only for the entries that precede a chain's first keyed one.
 */
export const AUDIT_HASH_ALGORITHMS = ['sha256', 'hmac-sha256'] as const;
export type AuditHashAlgorithm = (typeof AUDIT_HASH_ALGORITHMS)[number];

/** The entry's hash: keyed with `key`, or the legacy plain SHA-256 when `key` is null. */
export function auditHash(entry: HashedAuditFields, key: Buffer | null): string {
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
  const digest = key === null ? createHash('sha256') : createHmac('sha256', key);
  return digest.update(canonical, 'utf8').digest('hex');
}

/** The head of a chain as last written, kept outside PostgreSQL so that a truncation shows. */
export interface ChainAnchor {
  readonly seq: string;
  readonly hash: string;
}

/** Seals an anchor to its chain with the audit key, so that it cannot be forged or moved. */
export function anchorMac(key: Buffer, chain: string, anchor: ChainAnchor): string {
  return createHmac('sha256', key).update(`${chain}|${anchor.seq}|${anchor.hash}`, 'utf8').digest('hex');
}

/** Entries without a tenant (platform actions, failed authentication) chain here. */
export const PLATFORM_CHAIN = 'platform';

export function chainOf(tenantId: string | null): string {
  return tenantId ?? PLATFORM_CHAIN;
}
