import { describe, expect, it } from 'vitest';

import { bearerToken, displayPrefix, hashApiKey, issueApiKey } from './api-key-codec.js';

describe('api key codec', () => {
  it('issues distinct 256-bit keys and stores only their hash', () => {
    const [a, b] = [issueApiKey(), issueApiKey()];
    expect(a.key).toMatch(/^mk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(16));
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(displayPrefix(a.key)).toBe(a.prefix);
  });

  it('reads only well-formed bearer headers', () => {
    const { key } = issueApiKey();
    expect(bearerToken(`Bearer ${key}`)).toBe(key);
    expect(bearerToken(`bearer   ${key}`)).toBe(key);
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(`Basic ${key}`)).toBeUndefined();
    expect(bearerToken('Bearer short')).toBeUndefined();
    expect(bearerToken(`Bearer ${key} extra`)).toBeUndefined();
  });
});
