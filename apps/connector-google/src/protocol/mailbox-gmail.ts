import { MAX_HONOURED_BACKOFF_MS, Throttle, ThrottledError } from '@mailkeep/connector-kit';
import type { ContractError } from '@mailkeep/contracts';
import {
  gmailUserUrl,
  type GoogleEndpoints,
  googleFetch,
  type GoogleQuery,
} from '@mailkeep/google-workspace';

import { toContractError } from './parse-google-error.js';

/**
 * Requests one mailbox keeps in flight. Gmail limits concurrent requests per user (shared with
 * the user's other API clients) without publishing the number; 8 stays clear of it in practice
 * while hiding the latency of one `messages.get` behind the others.
 */
export const GMAIL_USER_REQUESTS_IN_FLIGHT = 8;

/**
 * Spacing between two requests of one mailbox. Gmail's per-user quota is 15,000 units a minute
 * (250 a second on average); `messages.get` costs 5 units, so one call every 20 ms is 250 units a
 * second at most, within the quota by construction rather than by collecting errors.
 */
export const GMAIL_MIN_INTERVAL_MS = 20;

/**
 * Quota errors retried per request before the task gives up (the queue retries it later). At 30%
 * random quota errors the chance of ten in a row is 6 in a million.
 */
export const MAX_THROTTLED_ATTEMPTS = 10;

/**
 * First back-off after a quota error: Google's guidance is exponential back-off starting at about
 * a second (1, 2, 4, 8… s) with random jitter, since it rarely sends Retry-After.
 */
const FIRST_BACKOFF_MS = 1_000;

export interface MailboxGmailOptions {
  readonly endpoints: GoogleEndpoints;
  /** The Gmail user, as it appears in `/gmail/v1/users/{mailbox}`. */
  readonly mailbox: string;
  readonly signal: AbortSignal;
  /** Called for every quota error with the wait that follows (metrics, task log: counted as throttling). */
  readonly onThrottled: (waitMs: number) => void;
  /** The delegated token for this mailbox (cached by the worker). */
  readonly accessToken: () => Promise<string>;
  /** Forget the cached token (Gmail answered 401 to it); one retry follows. */
  readonly onTokenRejected: () => void;
  /** Jitter source; tests make it deterministic. */
  readonly random?: () => number;
  readonly minIntervalMs?: number;
}

export interface GmailCall {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  /** Below `/gmail/v1/users/{mailbox}`, e.g. `/messages`. */
  readonly path: string;
  readonly query?: GoogleQuery;
  readonly body?: unknown;
}

/**
 * One mailbox's requests to Gmail, paced within the per-user quota: calls spaced by
 * GMAIL_MIN_INTERVAL_MS, a shared wait after any quota error (so concurrent requests do not each
 * collect one), exponential back-off with jitter (429 and 403 `rateLimitExceeded` /
 * `userRateLimitExceeded`), every wait counted as throttling. Errors come out as ContractErrors.
 */
export class MailboxGmail {
  readonly mailbox: string;
  private readonly userUrl: string;
  private readonly throttle: Throttle;
  private readonly random: () => number;

  constructor(private readonly options: MailboxGmailOptions) {
    this.mailbox = options.mailbox;
    this.userUrl = gmailUserUrl(options.endpoints, options.mailbox);
    this.throttle = new Throttle({ minIntervalMs: options.minIntervalMs ?? GMAIL_MIN_INTERVAL_MS });
    this.random = options.random ?? Math.random;
  }

  /** A JSON call; `what` names it in errors and logs. */
  async json<T>(what: string, call: GmailCall): Promise<T> {
    const response = await this.send(what, call);
    const text = await response.text();
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  /** The response with its body unread (a `format=raw` download is streamed by the caller). */
  async send(what: string, call: GmailCall): Promise<Response> {
    let tokenRetried = false;
    for (let attempt = 1; ; attempt += 1) {
      await this.throttle.wait(this.options.signal);
      try {
        return await googleFetch({
          url: `${this.userUrl}${call.path}`,
          accessToken: await this.options.accessToken(),
          signal: this.options.signal,
          ...(call.method && { method: call.method }),
          ...(call.query && { query: call.query }),
          ...(call.body !== undefined && { body: call.body }),
        });
      } catch (caught) {
        if (this.options.signal.aborted) throw this.options.signal.reason;
        const error: ContractError = toContractError(caught, `${what} of ${this.mailbox}`);
        if (error instanceof ThrottledError) {
          const wait = error.retryAfterMs > 0 ? error.retryAfterMs : this.backOffMs(attempt);
          if (attempt >= MAX_THROTTLED_ATTEMPTS || wait > MAX_HONOURED_BACKOFF_MS) {
            throw new ThrottledError(`${error.message}; gave up after ${attempt} throttled attempts`, wait);
          }
          this.throttle.backOff(wait);
          this.options.onThrottled(wait);
          continue;
        }
        if (error.code === 'AUTH_FAILED' && error.message.includes('authError') && !tokenRetried) {
          // An expired or revoked token: ask for a new one once; a second refusal is real.
          tokenRetried = true;
          this.options.onTokenRejected();
          continue;
        }
        throw error;
      }
    }
  }

  /** Exponential with "equal jitter": half the step fixed, half random, so retries spread out. */
  private backOffMs(attempt: number): number {
    const step = FIRST_BACKOFF_MS * 2 ** Math.min(attempt - 1, 8);
    return Math.round(step / 2 + (this.random() * step) / 2);
  }
}
