import { describe, expect, it } from 'vitest';

import { auditHash, chainOf, type HashedAuditFields, PLATFORM_CHAIN } from './audit-hash.js';

const entry: HashedAuditFields = {
  id: '6f1c2b1e-0000-4000-8000-000000000001',
  chain: 'tenant-1',
  seq: '1',
  at: new Date('2026-11-24T05:00:00.000Z'),
  actorApiKeyId: null,
  actorRole: 'operator',
  tenantId: 'tenant-1',
  action: 'tenant.create',
  objectType: 'tenant',
  objectId: 'tenant-1',
  outcome: 'success',
  status: 201,
  requestId: 'r-1',
  previousHash: null,
};

describe('audit hash', () => {
  it('is a stable SHA-256 of every field', () => {
    expect(auditHash(entry)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash({ ...entry })).toBe(auditHash(entry));
  });

  it.each(Object.keys(entry) as (keyof HashedAuditFields)[])('changes when %s changes', (field) => {
    const original = entry[field];
    const changed =
      original instanceof Date
        ? new Date(original.getTime() + 1)
        : typeof original === 'number'
          ? original + 1
          : original === null
            ? 'x'
            : `${original}x`;
    expect(auditHash({ ...entry, [field]: changed })).not.toBe(auditHash(entry));
  });

  it('keeps tenant-less entries in the platform chain', () => {
    expect(chainOf(null)).toBe(PLATFORM_CHAIN);
    expect(chainOf('t')).toBe('t');
  });
});
