import { ContractError } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import {
  categorise,
  MAX_HONOURED_BACKOFF_MS,
  parseRetryAfter,
  TaskAbortedError,
  Throttle,
  ThrottledError,
  withTimeout,
} from './policy.js';

describe('policy', () => {
  it('categorises errors into retryable and permanent ones', () => {
    expect(categorise(new ContractError('AUTH_FAILED', 'no'))).toMatchObject({
      category: 'authentication',
      retryable: false,
    });
    expect(categorise(new ThrottledError('slow down', 1000))).toMatchObject({
      category: 'throttled',
      retryable: true,
    });
    expect(categorise(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toMatchObject({
      category: 'network',
      retryable: true,
      code: 'UNAVAILABLE',
    });
    expect(categorise(new ContractError('VALIDATION', 'bad'))).toMatchObject({
      category: 'invalid',
      retryable: false,
    });
    expect(categorise(new TaskAbortedError('shutdown'))).toMatchObject({
      category: 'aborted',
      retryable: false,
    });
    expect(categorise(new TypeError('bug'))).toMatchObject({ category: 'temporary', retryable: true });
  });

  it('parses Retry-After as seconds or an HTTP date, capped', () => {
    const now = Date.parse('2026-11-24T06:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 06:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('999999', now)).toBe(MAX_HONOURED_BACKOFF_MS);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('Throttle holds callers back until a server-given back-off is over', async () => {
    let now = 1_000;
    const throttle = new Throttle({ now: () => now });
    expect(throttle.delayMs()).toBeLessThanOrEqual(0);
    await expect(
      throttle.run(() => Promise.reject(new ThrottledError('busy', 40_000))),
    ).rejects.toBeInstanceOf(ThrottledError);
    expect(throttle.delayMs()).toBe(40_000);
    now += 39_000;
    expect(throttle.delayMs()).toBe(1_000);
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await expect(throttle.wait(aborted.signal)).rejects.toThrow('stop');
    now += 1_000;
    await expect(throttle.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('withTimeout aborts the call and throws TIMEOUT', async () => {
    let seen: AbortSignal | undefined;
    const hung = withTimeout(
      'LOGIN',
      (signal) => {
        seen = signal;
        return new Promise<never>(() => undefined);
      },
      20,
    );
    await expect(hung).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(seen?.aborted).toBe(true);
    await expect(withTimeout('NOOP', () => Promise.resolve(1), 1_000)).resolves.toBe(1);
  });
});
