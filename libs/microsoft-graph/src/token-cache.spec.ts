import { describe, expect, it } from 'vitest';

import { waitFor } from '@mailkeep/testing';

import type { AppRegistration } from './app-credential.js';
import { GLOBAL_CLOUD_ENDPOINTS } from './endpoints.js';
import { AppTokenCache, type AcquireToken, TOKEN_REFRESH_MARGIN_MS } from './token-cache.js';
import { type AccessToken, IdentityPlatformError } from './token-client.js';

const registration: AppRegistration = {
  directoryId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '1b730954-1685-4b74-9bfd-dac224a7b894',
  credential: { kind: 'client-secret', clientSecret: 'Qx8Q~secret' },
};

/** An acquire function whose answers the test releases by hand. */
function scriptedAcquire(): {
  acquire: AcquireToken;
  calls: number;
  resolveNext: (token: AccessToken) => void;
  rejectNext: (error: Error) => void;
} {
  const pending: { resolve: (t: AccessToken) => void; reject: (e: Error) => void }[] = [];
  const state = {
    calls: 0,
    acquire: (() => {
      state.calls += 1;
      return new Promise<AccessToken>((resolve, reject) => pending.push({ resolve, reject }));
    }) as AcquireToken,
    resolveNext: (token: AccessToken) => pending.shift()?.resolve(token),
    rejectNext: (error: Error) => pending.shift()?.reject(error),
  };
  return state;
}

const rejection = (): IdentityPlatformError =>
  new IdentityPlatformError(
    401,
    'invalid_client',
    [7000215],
    'AADSTS7000215: Invalid client secret provided.',
    new Headers(),
  );

describe('AppTokenCache', () => {
  it('asks once for concurrent callers and reuses the token until shortly before it expires', async () => {
    let now = 1_000_000;
    const script = scriptedAcquire();
    const cache = new AppTokenCache(script.acquire, () => now);
    const first = Promise.all([1, 2, 3].map(() => cache.token(GLOBAL_CLOUD_ENDPOINTS, registration)));
    script.resolveNext({ token: 'A', expiresAt: now + 3_599_000 });
    expect(await first).toEqual(['A', 'A', 'A']);
    expect(script.calls).toBe(1);

    now += 3_599_000 - TOKEN_REFRESH_MARGIN_MS - 1;
    expect(await cache.token(GLOBAL_CLOUD_ENDPOINTS, registration)).toBe('A');
    now += 2;
    const renewed = cache.token(GLOBAL_CLOUD_ENDPOINTS, registration);
    await waitFor(() => script.calls === 2, { description: 'the renewal request' });
    script.resolveNext({ token: 'B', expiresAt: now + 3_599_000 });
    expect(await renewed).toBe('B');
    expect(script.calls).toBe(2);
  });

  it('keys tokens by credential, so another secret for the same app never gets this token', async () => {
    const script = scriptedAcquire();
    const cache = new AppTokenCache(script.acquire);
    const good = cache.token(GLOBAL_CLOUD_ENDPOINTS, registration);
    script.resolveNext({ token: 'A', expiresAt: Date.now() + 3_599_000 });
    await good;
    const other = cache.token(GLOBAL_CLOUD_ENDPOINTS, {
      ...registration,
      credential: { kind: 'client-secret', clientSecret: 'wrong' },
    });
    script.rejectNext(rejection());
    await expect(other).rejects.toBeInstanceOf(IdentityPlatformError);
    expect(script.calls).toBe(2);
  });

  it('answers a rejected credential from memory instead of asking again', async () => {
    const script = scriptedAcquire();
    const cache = new AppTokenCache(script.acquire);
    const attempts = [1, 2].map(() => cache.token(GLOBAL_CLOUD_ENDPOINTS, registration));
    script.rejectNext(rejection());
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(/AADSTS7000215/);
    await expect(cache.token(GLOBAL_CLOUD_ENDPOINTS, registration)).rejects.toThrow(/AADSTS7000215/);
    expect(script.calls).toBe(1);
  });

  it('forgets a network failure, so the next caller asks again', async () => {
    const script = scriptedAcquire();
    const cache = new AppTokenCache(script.acquire);
    const failed = cache.token(GLOBAL_CLOUD_ENDPOINTS, registration);
    script.rejectNext(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }));
    await expect(failed).rejects.toThrow('fetch failed');
    const retried = cache.token(GLOBAL_CLOUD_ENDPOINTS, registration);
    script.resolveNext({ token: 'A', expiresAt: Date.now() + 3_599_000 });
    expect(await retried).toBe('A');
    expect(script.calls).toBe(2);
  });
});
