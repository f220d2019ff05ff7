import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { EnvelopeError, open, rewrap, seal } from './envelope.js';
import { MasterKeyRing } from './master-key-ring.js';

const a = { tenantId: 'tenant-a', secretId: 'secret-1' };
const b = { tenantId: 'tenant-a', secretId: 'secret-2' };

describe('envelope encryption', () => {
  const ring = MasterKeyRing.fromKeys(randomBytes(32));
  const value = { password: 'correct horse battery staple' };

  it('round-trips, with a fresh data key and IV each time, and hides the plaintext', () => {
    const first = seal(ring, value, a);
    const second = seal(ring, value, a);
    expect(open(ring, first, a)).toEqual(value);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
    expect(first.wrappedKey.equals(second.wrappedKey)).toBe(false);
    expect(first.keyId).toBe(ring.current.id);
    expect(first.ciphertext.includes(Buffer.from('horse'))).toBe(false);
  });

  it('binds the tenant and the secret: a sealed value moved to another row does not open', () => {
    const sealed = seal(ring, value, a);
    expect(() => open(ring, sealed, b)).toThrow(EnvelopeError);
    expect(() => open(ring, sealed, { tenantId: 'tenant-b', secretId: 'secret-1' })).toThrow(EnvelopeError);
    // Only the ciphertext swapped (data key kept): still refused, by the data AAD.
    const other = seal(ring, { password: 'other' }, b);
    expect(() =>
      open(ring, { ...sealed, iv: other.iv, tag: other.tag, ciphertext: other.ciphertext }, a),
    ).toThrow(EnvelopeError);
  });

  it('detects a flipped bit in any part', () => {
    const sealed = seal(ring, value, a);
    for (const part of ['wrappedKey', 'iv', 'tag', 'ciphertext'] as const) {
      const copy = Buffer.from(sealed[part]);
      copy[0] = (copy[0] ?? 0) ^ 0x80;
      expect(() => open(ring, { ...sealed, [part]: copy }, a)).toThrow(EnvelopeError);
    }
  });

  it('re-wraps with a new master key, keeping the ciphertext; an unknown key id is refused', () => {
    const oldRing = MasterKeyRing.fromKeys(randomBytes(32));
    const sealed = seal(oldRing, value, a);
    const newRing = MasterKeyRing.fromKeys(randomBytes(32), [oldRing.current.key]);
    const rewrapped = rewrap(newRing, sealed, a);
    expect(rewrapped.keyId).toBe(newRing.current.id);
    expect(rewrapped.ciphertext.equals(sealed.ciphertext)).toBe(true);
    expect(open(MasterKeyRing.fromKeys(newRing.current.key), rewrapped, a)).toEqual(value);
    expect(() => open(MasterKeyRing.fromKeys(newRing.current.key), sealed, a)).toThrow(/not configured/);
    // The key id is bound into the wrap: relabelling a wrapped key does not open it.
    expect(() => open(newRing, { ...sealed, keyId: newRing.current.id }, a)).toThrow(EnvelopeError);
  });
});
