/**
 * Failed authentications a client may make at once: enough for a person fixing a pasted key or a
 * script with a stale one, far too few for guessing.
 */
export const AUTH_FAILURE_BURST = 10;
/** Then one more failure every 6 seconds (10 a minute): a brute force gets nowhere. */
export const AUTH_FAILURE_REFILL_MS = 6_000;
/** While a client stays throttled, one audit entry a minute says so instead of one per attempt. */
export const THROTTLE_AUDIT_INTERVAL_MS = 60_000;
/** Buckets kept before full (idle) ones are dropped: bounds memory under many addresses. */
const MAX_TRACKED = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
  lastAuditedAt?: number;
}

/**
 * Token buckets of failed authentications, per client address and per key prefix (in this api
 * process: several replicas each count their own share). A bucket that is empty throttles; it
 * refills with time, never with a success.
 */
export class AuthFailureLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until the subject may fail again, or 0 when it may try now. */
  retryAfterSeconds(subject: string): number {
    const bucket = this.refilled(subject);
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * AUTH_FAILURE_REFILL_MS) / 1_000));
  }

  /** Counts a failure against every subject (address, key prefix). */
  fail(subjects: readonly string[]): void {
    for (const subject of subjects) {
      const bucket = this.refilled(subject);
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      this.buckets.set(subject, bucket);
    }
    if (this.buckets.size > MAX_TRACKED) this.dropIdle();
  }

  /** True once a minute per subject while it is throttled: when the refusal is worth an audit entry. */
  shouldAuditThrottle(subject: string): boolean {
    const bucket = this.refilled(subject);
    const now = this.now();
    if (bucket.lastAuditedAt !== undefined && now - bucket.lastAuditedAt < THROTTLE_AUDIT_INTERVAL_MS)
      return false;
    bucket.lastAuditedAt = now;
    this.buckets.set(subject, bucket);
    return true;
  }

  private refilled(subject: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(subject) ?? { tokens: AUTH_FAILURE_BURST, updatedAt: now };
    const earned = (now - bucket.updatedAt) / AUTH_FAILURE_REFILL_MS;
    bucket.tokens = Math.min(AUTH_FAILURE_BURST, bucket.tokens + earned);
    bucket.updatedAt = now;
    return bucket;
  }

  private dropIdle(): void {
    for (const [subject, bucket] of this.buckets) {
      if (this.refilled(subject).tokens >= AUTH_FAILURE_BURST) this.buckets.delete(subject);
      else this.buckets.set(subject, bucket);
    }
  }
}
