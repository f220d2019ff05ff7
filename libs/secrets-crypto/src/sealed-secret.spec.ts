import { randomUUID } from 'node:crypto';

import { type ResolvedSecret } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { newRecipient, sealSecret } from './sealed-secret.js';

const ref = { tenantId: randomUUID(), id: randomUUID() };
const secret: ResolvedSecret = { id: ref.id, type: 'basic', username: 'u', password: 'Plaintext-7f3a9c' };

describe('sealed secrets', () => {
  it('opens for the recipient only, and the sealed reply does not carry the plaintext', () => {
    const recipient = newRecipient();
    const sealed = sealSecret({ ...ref, recipientKey: recipient.recipientKey }, secret);
    expect(JSON.parse(recipient.open(sealed, ref))).toEqual(secret);
    expect(JSON.stringify(sealed)).not.toContain('Plaintext-7f3a9c');
    expect(() => newRecipient().open(sealed, ref)).toThrow(/cannot be opened/);
  });

  it('refuses a reply altered or replayed for another tenant or secret', () => {
    const recipient = newRecipient();
    const sealed = sealSecret({ ...ref, recipientKey: recipient.recipientKey }, secret);
    const flipped = Buffer.from(sealed.ciphertext, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => recipient.open({ ...sealed, ciphertext: flipped.toString('base64url') }, ref)).toThrow(
      /does not authenticate/,
    );
    expect(() => recipient.open(sealed, { ...ref, tenantId: randomUUID() })).toThrow(/does not authenticate/);
    expect(() => recipient.open(sealed, { ...ref, id: randomUUID() })).toThrow(/is for secret/);
  });

  it('seals every reply under a fresh key, and refuses a low-order recipient key', () => {
    const recipient = newRecipient();
    const request = { ...ref, recipientKey: recipient.recipientKey };
    const [a, b] = [sealSecret(request, secret), sealSecret(request, secret)];
    expect(a.senderKey).not.toBe(b.senderKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    // The all-zero point makes every shared secret zero: whoever sent it must get nothing.
    expect(() =>
      sealSecret({ ...ref, recipientKey: Buffer.alloc(32).toString('base64url') }, secret),
    ).toThrow();
  });
});
