import { describe, expect, it } from 'vitest';

import {
  AUTH_FAILURE_BURST,
  AUTH_FAILURE_REFILL_MS,
  AuthFailureLimiter,
  THROTTLE_AUDIT_INTERVAL_MS,
} from './auth-failure-limiter.js';

function limiterAt(start = 1_000_000) {
  let now = start;
  return { limiter: new AuthFailureLimiter(() => now), advance: (ms: number) => (now += ms) };
}

describe('AuthFailureLimiter', () => {
  it('lets a burst of failures through, then throttles with the seconds to wait', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < AUTH_FAILURE_BURST; i++) {
      expect(limiter.retryAfterSeconds('ip:198.51.100.7')).toBe(0);
      limiter.fail(['ip:198.51.100.7']);
    }
    expect(limiter.retryAfterSeconds('ip:198.51.100.7')).toBe(AUTH_FAILURE_REFILL_MS / 1_000);
    // Another client is not affected.
    expect(limiter.retryAfterSeconds('ip:198.51.100.8')).toBe(0);
  });

  it('refills with time: one more failure per refill period, never more than the burst', () => {
    const { limiter, advance } = limiterAt();
    limiter.fail(Array.from({ length: AUTH_FAILURE_BURST }, () => 'key:mk_0123456789ab'));
    expect(limiter.retryAfterSeconds('key:mk_0123456789ab')).toBeGreaterThan(0);
    advance(AUTH_FAILURE_REFILL_MS / 2);
    expect(limiter.retryAfterSeconds('key:mk_0123456789ab')).toBe(AUTH_FAILURE_REFILL_MS / 2_000);
    advance(AUTH_FAILURE_REFILL_MS / 2);
    expect(limiter.retryAfterSeconds('key:mk_0123456789ab')).toBe(0);
    limiter.fail(['key:mk_0123456789ab']);
    expect(limiter.retryAfterSeconds('key:mk_0123456789ab')).toBeGreaterThan(0);
    advance(AUTH_FAILURE_REFILL_MS * 1_000);
    for (let i = 0; i < AUTH_FAILURE_BURST; i++) limiter.fail(['key:mk_0123456789ab']);
    expect(limiter.retryAfterSeconds('key:mk_0123456789ab')).toBeGreaterThan(0);
  });

  it('asks for one audit entry a minute per throttled subject', () => {
    const { limiter, advance } = limiterAt();
    expect(limiter.shouldAuditThrottle('ip:203.0.113.1')).toBe(true);
    expect(limiter.shouldAuditThrottle('ip:203.0.113.1')).toBe(false);
    expect(limiter.shouldAuditThrottle('ip:203.0.113.2')).toBe(true);
    advance(THROTTLE_AUDIT_INTERVAL_MS);
    expect(limiter.shouldAuditThrottle('ip:203.0.113.1')).toBe(true);
  });
});
