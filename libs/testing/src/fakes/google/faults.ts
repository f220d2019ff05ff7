import { type GoogleFakeError, googleApiErrors } from './errors.js';

/**
 * Injectable faults and the counters tests assert on. Faults are drawn from a seeded PRNG so a
 * failing run can be reproduced with the same seed.
 */
export interface GoogleFaultOptions {
  /**
   * Fraction (0..1) of API requests answered with a quota error, in turn 429 `rateLimitExceeded`,
   * 403 `userRateLimitExceeded` and 403 `rateLimitExceeded` (Google uses all three).
   */
  quotaErrorFraction?: number;
  /** Fraction answered 500 `backendError`. */
  serverErrorFraction?: number;
  /** Every API response waits this long first. */
  delayMs?: number;
  /** Fraction of `format=raw` responses whose connection is cut half-way through `raw`. */
  brokenBodyFraction?: number;
  /** Requests in flight per user above which Gmail answers 429 "Too many concurrent requests for user". 0 = off. */
  userConcurrencyLimit?: number;
  /** Quota units per user per rolling minute before 403 `userRateLimitExceeded` (Gmail: 15,000). 0 = off. */
  userUnitsPerMinute?: number;
  seed?: number;
}

export const GMAIL_USER_UNITS_PER_MINUTE = 15_000;

export class GoogleFakeCounters {
  tokenRequests = 0;
  tokensIssued = 0;
  tokenFailures = 0;
  /** Requests to the API routes (everything but the token endpoint). */
  apiRequests = 0;
  /** Quota errors answered (injected, per-user units, or concurrency). */
  quotaErrors = 0;
  serverErrors = 0;
  brokenBodies = 0;
  /** Highest number of requests in flight at once for one user. */
  readonly maxInFlightPerUser = new Map<string, number>();
  /** Requests per route name (`messages.list`, `messages.get`, `history.list`, `token`…). */
  readonly byRoute = new Map<string, number>();
  /** Ids permanently deleted (messages.delete and batchDelete), in order. */
  readonly deletedIds: string[] = [];

  route(name: string): number {
    return this.byRoute.get(name) ?? 0;
  }
}

export class GoogleFaultInjector {
  private options: GoogleFaultOptions = {};
  private random: () => number = mulberry32(1);
  private quotaTurn = 0;
  private readonly inFlight = new Map<string, number>();
  private readonly unitsSpent = new Map<string, { at: number; units: number }[]>();

  constructor(private readonly counters: GoogleFakeCounters) {}

  configure(options: GoogleFaultOptions): void {
    this.options = options;
    this.random = mulberry32(options.seed ?? 1);
    // A new configuration starts a new quota minute: units spent before do not count against it.
    this.unitsSpent.clear();
  }

  get delayMs(): number {
    return this.options.delayMs ?? 0;
  }

  /** The fault this API request gets, if any, before it is served. */
  before(user: string | undefined, units: number, now = Date.now()): GoogleFakeError | undefined {
    if (this.draw(this.options.quotaErrorFraction)) {
      this.counters.quotaErrors += 1;
      const turn = this.quotaTurn++ % 3;
      return turn === 0
        ? googleApiErrors.tooManyConcurrent()
        : turn === 1
          ? googleApiErrors.userRateLimit()
          : googleApiErrors.rateLimit();
    }
    if (this.draw(this.options.serverErrorFraction)) {
      this.counters.serverErrors += 1;
      return googleApiErrors.backendError();
    }
    if (user === undefined) return undefined;
    const limit = this.options.userConcurrencyLimit ?? 0;
    if (limit > 0 && (this.inFlight.get(user) ?? 0) >= limit) {
      this.counters.quotaErrors += 1;
      return googleApiErrors.tooManyConcurrent();
    }
    const perMinute = this.options.userUnitsPerMinute ?? GMAIL_USER_UNITS_PER_MINUTE;
    if (perMinute > 0) {
      const recent = (this.unitsSpent.get(user) ?? []).filter((s) => s.at > now - 60_000);
      const spent = recent.reduce((sum, s) => sum + s.units, 0);
      if (spent + units > perMinute) {
        this.unitsSpent.set(user, recent);
        this.counters.quotaErrors += 1;
        return googleApiErrors.userRateLimit();
      }
      recent.push({ at: now, units });
      this.unitsSpent.set(user, recent);
    }
    return undefined;
  }

  /** Counts a request in flight for `user`; call the returned function when it is answered. */
  enter(user: string): () => void {
    const now = (this.inFlight.get(user) ?? 0) + 1;
    this.inFlight.set(user, now);
    this.counters.maxInFlightPerUser.set(
      user,
      Math.max(now, this.counters.maxInFlightPerUser.get(user) ?? 0),
    );
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight.set(user, (this.inFlight.get(user) ?? 1) - 1);
    };
  }

  breakBody(): boolean {
    if (!this.draw(this.options.brokenBodyFraction)) return false;
    this.counters.brokenBodies += 1;
    return true;
  }

  private draw(fraction: number | undefined): boolean {
    return fraction !== undefined && fraction > 0 && this.random() < fraction;
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
