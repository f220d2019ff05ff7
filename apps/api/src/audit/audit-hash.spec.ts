import { describe, expect, it } from 'vitest';

import { anchorMac, auditHash, chainOf, type HashedAuditFields, PLATFORM_CHAIN } from './audit-hash.js';

const KEY = Buffer.alloc(32, 7);

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
  it('is a stable HMAC-SHA256 of every field under the audit key', () => {
    expect(auditHash(entry, KEY)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash({ ...entry }, KEY)).toBe(auditHash(entry, KEY));
    // Without the key nobody recomputes it: neither plain SHA-256 nor another key gives it.
    expect(auditHash(entry, null)).not.toBe(auditHash(entry, KEY));
    expect(auditHash(entry, Buffer.alloc(32, 8))).not.toBe(auditHash(entry, KEY));
  });

  it('seals an anchor to its chain, sequence and hash', () => {
    const anchor = { seq: '7', hash: 'a'.repeat(64) };
    const mac = anchorMac(KEY, 'tenant-1', anchor);
    expect(anchorMac(KEY, 'tenant-2', anchor)).not.toBe(mac);
    expect(anchorMac(KEY, 'tenant-1', { ...anchor, seq: '6' })).not.toBe(mac);
    expect(anchorMac(Buffer.alloc(32, 8), 'tenant-1', anchor)).not.toBe(mac);
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
    expect(auditHash({ ...entry, [field]: changed }, KEY)).not.toBe(auditHash(entry, KEY));
  });

  it('keeps tenant-less entries in the platform chain', () => {
    expect(chainOf(null)).toBe(PLATFORM_CHAIN);
    expect(chainOf('t')).toBe('t');
  });
});
