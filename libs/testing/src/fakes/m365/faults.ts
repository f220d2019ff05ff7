import { type GraphError, graphErrors } from './errors.js';

/**
 * Injectable faults and the counters tests assert on. Faults are drawn from a seeded PRNG so a
 * failing run can be reproduced with the same seed.
 */
export interface GraphFaultOptions {
  /** Fraction (0..1) of Graph requests answered 429 `ApplicationThrottled` with `Retry-After`. */
  throttleFraction?: number;
  /** Fraction answered 503 `ServiceUnavailable` with `Retry-After`. */
  unavailableFraction?: number;
  /** Fraction answered 504 (no `Retry-After`, as Graph's gateway sends it). */
  gatewayTimeoutFraction?: number;
  /** `Retry-After` value; Graph sends whole seconds. Default 1. */
  retryAfterSeconds?: number;
  /** `seconds` (Graph's usual form) or an HTTP-date (RFC 9110 allows both; proxies send dates). */
  retryAfterFormat?: 'seconds' | 'http-date';
  /** Every Graph response waits this long first. */
  delayMs?: number;
  /** Fraction of `$value` responses whose connection is cut after half of the bytes. */
  brokenBodyFraction?: number;
  /**
   * Requests in flight per mailbox above which Graph answers 429 (Outlook's MailboxConcurrency
   * limit is 4). 0 switches the check off.
   */
  mailboxConcurrencyLimit?: number;
  seed?: number;
}

export const DEFAULT_MAILBOX_CONCURRENCY_LIMIT = 4;
/** Timers fire a few milliseconds early or late; a retry this close to the deadline is on time. */
const RETRY_TOLERANCE_MS = 25;

export class GraphFakeCounters {
  tokenRequests = 0;
  tokensIssued = 0;
  tokenFailures = 0;
  graphRequests = 0;
  throttled = 0;
  unavailable = 0;
  gatewayTimeouts = 0;
  brokenBodies = 0;
  /** Requests that came back before the `Retry-After` they were given had passed. */
  earlyRetries = 0;
  /** 429s caused by more than `mailboxConcurrencyLimit` requests in flight for one mailbox. */
  concurrencyRejections = 0;
  /** Highest number of mailbox requests in flight at once, all mailboxes together. */
  maxInFlight = 0;
  /** Highest number of requests in flight at once, per mailbox (user id or reference). */
  readonly maxInFlightPerMailbox = new Map<string, number>();
  /** Requests per route name (`messages/delta`, `messages/$value`, `mailFolders`, `token`, …). */
  readonly byRoute = new Map<string, number>();
  /** Ids passed to `permanentDelete`, in order. */
  readonly permanentDeletes: string[] = [];

  route(name: string): number {
    return this.byRoute.get(name) ?? 0;
  }
}

export class FaultInjector {
  options: GraphFaultOptions = {};
  private state: number;
  private readonly inFlight = new Map<string, number>();
  private totalInFlight = 0;
  /** `<client> <method> <url>` → the earliest time a retry of it is on time. */
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly counters: GraphFakeCounters) {
    this.state = 19;
  }

  configure(options: GraphFaultOptions): void {
    this.options = options;
    this.state = options.seed ?? 19;
  }

  /** Marks a request for `mailbox` as started; returns the 429 to answer instead, if any. */
  enter(mailbox: string | undefined, retryKey: string): GraphError | undefined {
    const due = this.notBefore.get(retryKey);
    if (due !== undefined) {
      this.notBefore.delete(retryKey);
      if (Date.now() + RETRY_TOLERANCE_MS < due) this.counters.earlyRetries += 1;
    }
    if (mailbox !== undefined) {
      this.totalInFlight += 1;
      this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.totalInFlight);
      const count = (this.inFlight.get(mailbox) ?? 0) + 1;
      this.inFlight.set(mailbox, count);
      this.counters.maxInFlightPerMailbox.set(
        mailbox,
        Math.max(count, this.counters.maxInFlightPerMailbox.get(mailbox) ?? 0),
      );
      const limit = this.options.mailboxConcurrencyLimit ?? DEFAULT_MAILBOX_CONCURRENCY_LIMIT;
      if (limit > 0 && count > limit) {
        this.counters.concurrencyRejections += 1;
        return this.throttle(retryKey);
      }
    }
    if (this.draw(this.options.throttleFraction)) return this.throttle(retryKey);
    if (this.draw(this.options.unavailableFraction)) {
      this.counters.unavailable += 1;
      return graphErrors.serviceUnavailable(this.retryAfter(retryKey));
    }
    if (this.draw(this.options.gatewayTimeoutFraction)) {
      this.counters.gatewayTimeouts += 1;
      return graphErrors.gatewayTimeout();
    }
    return undefined;
  }

  leave(mailbox: string | undefined): void {
    if (mailbox === undefined) return;
    this.totalInFlight -= 1;
    this.inFlight.set(mailbox, Math.max(0, (this.inFlight.get(mailbox) ?? 1) - 1));
  }

  breakBody(): boolean {
    const broken = this.draw(this.options.brokenBodyFraction);
    if (broken) this.counters.brokenBodies += 1;
    return broken;
  }

  private throttle(retryKey: string): GraphError {
    this.counters.throttled += 1;
    return graphErrors.throttled(this.retryAfter(retryKey));
  }

  /** The header value, remembering when a retry of the same request becomes legitimate. */
  private retryAfter(retryKey: string): string {
    const seconds = this.options.retryAfterSeconds ?? 1;
    if (this.options.retryAfterFormat === 'http-date') {
      // An HTTP-date has whole seconds: round up so the date is never earlier than the wait meant.
      const at = Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000;
      this.notBefore.set(retryKey, at);
      return new Date(at).toUTCString();
    }
    this.notBefore.set(retryKey, Date.now() + seconds * 1000);
    return String(seconds);
  }

  /** mulberry32: tiny, seedable, good enough to spread faults. */
  private draw(fraction: number | undefined): boolean {
    if (!fraction) return false;
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 < fraction;
  }
}
