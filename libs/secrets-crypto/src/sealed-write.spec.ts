import { randomBytes, randomUUID } from 'node:crypto';

import { ContractError } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { deriveWriteKeyPair, openWrite, sealWrite, type WriteTarget } from './sealed-write.js';

const master = { id: '0123456789abcdef', key: randomBytes(32) };
const tenantId = randomUUID();
const target: WriteTarget = { subject: 'secrets.req.secret.update.v2', tenantId, id: randomUUID() };
const body = { password: 'Sealed-write-9c41e2' };

function publicHalf(pair: ReturnType<typeof deriveWriteKeyPair>) {
  return { keyId: pair.keyId, publicKey: pair.publicKey };
}

describe('sealed secret writes', () => {
  it('opens with the key derived again from the same master key and tenant, as another replica would', () => {
    const sealed = sealWrite(publicHalf(deriveWriteKeyPair(master, tenantId)), target, body);
    expect(JSON.stringify(sealed)).not.toContain(body.password);
    expect(sealed.keyId).toBe(master.id);
    expect(openWrite(deriveWriteKeyPair(master, tenantId), sealed, target)).toEqual(body);
  });

  it('derives one key per master key and tenant', () => {
    const own = deriveWriteKeyPair(master, tenantId).publicKey;
    expect(deriveWriteKeyPair(master, randomUUID()).publicKey).not.toBe(own);
    expect(deriveWriteKeyPair({ ...master, key: randomBytes(32) }, tenantId).publicKey).not.toBe(own);
  });

  it('refuses a write opened for another subject, tenant or secret, or altered, as a VALIDATION error', () => {
    const pair = deriveWriteKeyPair(master, tenantId);
    const sealed = sealWrite(publicHalf(pair), target, body);
    const refusal = (attempt: () => unknown) => {
      try {
        attempt();
        return 'opened';
      } catch (error) {
        return error instanceof ContractError ? `${error.code} ${error.fields?.[0]?.field}` : String(error);
      }
    };
    expect(refusal(() => openWrite(pair, sealed, { ...target, id: randomUUID() }))).toBe('VALIDATION sealed');
    expect(
      refusal(() => openWrite(pair, sealed, { ...target, subject: 'secrets.req.secret.create.v2' })),
    ).toBe('VALIDATION sealed');
    const other = deriveWriteKeyPair(master, randomUUID());
    expect(refusal(() => openWrite(other, sealed, { ...target, tenantId }))).toBe('VALIDATION sealed');
    const flipped = Buffer.from(sealed.ciphertext, 'base64url');
    flipped[3] = (flipped[3] ?? 0) ^ 0x20;
    expect(
      refusal(() => openWrite(pair, { ...sealed, ciphertext: flipped.toString('base64url') }, target)),
    ).toBe('VALIDATION sealed');
    expect(refusal(() => openWrite(pair, { ...sealed, senderKey: 'A'.repeat(43) }, target))).toBe(
      'VALIDATION sealed',
    );
  });
});
