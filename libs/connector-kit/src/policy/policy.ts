/**
 * Throttle, timeout and retry policy for connectors (SPEC C5). Every network call of a connector
 * goes through `withTimeout`; every server-given back-off (HTTP Retry-After, Gmail 403/429, EWS
 * ErrorServerBusy, Office 365 IMAP "Suggested Backoff Time") goes through a `Throttle`; every
 * error is put in a category that says whether trying again can help.
 */
import { ContractError, type ContractErrorCode } from '@mailkeep/contracts';

/**
 * Default bound for one network call (connect, login, a command, one fetch round trip). Mail
 * servers answer within seconds; a minute rides out a slow server under load while a dead
 * connection is still noticed long before the task's heartbeat-extended ack deadline matters.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/**
 * Longest pause between two chunks of one message's stream. A stalled download is abandoned after
 * this, so one hung message cannot hold a task (and its mailbox) for ever.
 */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 120_000;

/**
 * Cap on a server-requested back-off. Servers have asked for hours (Graph after abuse detection);
 * waiting longer than this inside a task is worse than handing the task back (nak) so the queue's
 * own back-off takes over and the worker serves other mailboxes meanwhile.
 */
export const MAX_HONOURED_BACKOFF_MS = 15 * 60_000;

/**
 * Back-off used when a server throttles without saying for how long: long enough that an
 * immediate retry does not count as a second offence, short enough not to stall the task.
 */
export const DEFAULT_THROTTLE_BACKOFF_MS = 30_000;

/** Where an error leaves a task or a message: worth another try, or not. */
export const ERROR_CATEGORIES = {
  /** The server asked us to slow down: retry after its back-off. */
  throttled: true,
  /** A call or stream exceeded its timeout: retry (the server may be slow now). */
  timeout: true,
  /** Connection refused/reset, DNS hiccup, TLS drop: retry. */
  network: true,
  /** A dependency of ours (storage, NATS, a service) failed transiently: retry. */
  temporary: true,
  /** Rejected credentials: never retried in a loop (C5) — the account could be locked out. */
  authentication: false,
  /** Authenticated but not allowed (no impersonation right, no master user): an admin must act. */
  authorization: false,
  /** Bad configuration or input (an invalid profile, a missing mailbox): same result every time. */
  invalid: false,
  /** The task was cancelled or the worker is stopping: not a failure of the task. */
  aborted: false,
  /** A bug or a response we do not understand: retrying gives the same answer. */
  internal: false,
} as const satisfies Record<string, boolean>;
export type ErrorCategory = keyof typeof ERROR_CATEGORIES;

export interface CategorisedError {
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly code: ContractErrorCode;
  readonly message: string;
}

const CATEGORY_BY_CODE: Record<ContractErrorCode, ErrorCategory> = {
  THROTTLED: 'throttled',
  TIMEOUT: 'timeout',
  TEMPORARY: 'temporary',
  UNAVAILABLE: 'temporary',
  AUTH_FAILED: 'authentication',
  FORBIDDEN: 'authorization',
  NOT_FOUND: 'invalid',
  CONFLICT: 'temporary',
  VALIDATION: 'invalid',
  RULE_VIOLATION: 'invalid',
  PRECONDITION_FAILED: 'temporary',
  INTERNAL: 'internal',
};

/** Node's socket error codes that mean "the network failed", all worth retrying. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Puts any error in a category (see ERROR_CATEGORIES); connectors map protocol errors to ContractErrors first. */
export function categorise(error: unknown): CategorisedError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ContractError) {
    // A reason that names a category wins (e.g. `network` on an UNAVAILABLE made from a socket error).
    const category = isCategory(error.reason) ? error.reason : CATEGORY_BY_CODE[error.code];
    return { category, retryable: ERROR_CATEGORIES[category], code: error.code, message };
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) {
    return { category: 'network', retryable: true, code: 'UNAVAILABLE', message };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { category: 'aborted', retryable: false, code: 'TEMPORARY', message };
  }
  // Unknown failures are treated as transient, as the messaging consumer does: a bounded number of
  // redeliveries costs little, while giving up on a passing outage loses a whole run.
  return { category: 'temporary', retryable: true, code: 'TEMPORARY', message };
}

function isCategory(value: string | undefined): value is ErrorCategory {
  return value !== undefined && Object.hasOwn(ERROR_CATEGORIES, value);
}

/** A server asked for a pause; `retryAfterMs` is how long (already capped). */
export class ThrottledError extends ContractError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super('THROTTLED', message, { reason: 'throttled' });
    this.name = 'ThrottledError';
  }
}

/** Thrown at a message boundary when the task is cancelled or the worker stops. */
export class TaskAbortedError extends ContractError {
  constructor(readonly why: 'cancelled' | 'shutdown') {
    super('TEMPORARY', why === 'cancelled' ? 'The task was cancelled' : 'The worker is shutting down', {
      reason: 'aborted',
    });
    this.name = 'TaskAbortedError';
  }
}

/**
 * Parses an HTTP Retry-After value (delta seconds or an HTTP date) into milliseconds from `now`,
 * capped at MAX_HONOURED_BACKOFF_MS. Unparseable → undefined (the caller uses its default).
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1_000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_HONOURED_BACKOFF_MS);
}

/**
 * Shared pacing for one server (or one mailbox): after a server-given back-off every caller waits
 * until it is over, so several concurrent requests do not each hit the server and each get
 * throttled again. `minIntervalMs` optionally spaces calls evenly (a documented rate limit).
 */
export class Throttle {
  private notBefore = 0;
  private lastCall = 0;

  constructor(private readonly options: { minIntervalMs?: number; now?: () => number } = {}) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Records a back-off asked for by the server (undefined: DEFAULT_THROTTLE_BACKOFF_MS), capped. */
  backOff(ms: number | undefined): void {
    const wait = Math.min(Math.max(ms ?? DEFAULT_THROTTLE_BACKOFF_MS, 0), MAX_HONOURED_BACKOFF_MS);
    this.notBefore = Math.max(this.notBefore, this.now() + wait);
  }

  /** How long a call made now would have to wait. */
  delayMs(): number {
    const paced = this.lastCall + (this.options.minIntervalMs ?? 0);
    return Math.max(this.notBefore, paced) - this.now();
  }

  /** Waits until a call is allowed; rejects with the signal's reason when aborted meanwhile. */
  async wait(signal?: AbortSignal): Promise<void> {
    for (let delay = this.delayMs(); delay > 0; delay = this.delayMs()) {
      await sleep(delay, signal);
    }
    signal?.throwIfAborted();
    this.lastCall = this.now();
  }

  /** Runs `call` when allowed; a ThrottledError it throws extends the back-off and is rethrown. */
  async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.wait(signal);
    try {
      return await call();
    } catch (error) {
      if (error instanceof ThrottledError) this.backOff(error.retryAfterMs);
      throw error;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `call` with a deadline: past `ms` the signal handed to it is aborted (so a client that
 * honours it closes its socket) and a TIMEOUT ContractError is thrown, naming `what`.
 */
export async function withTimeout<T>(
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
  ms: number = DEFAULT_CALL_TIMEOUT_MS,
  parent?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const error = new ContractError('TIMEOUT', `${what} did not complete within ${ms} ms`, {
    reason: 'timeout',
  });
  let timer: NodeJS.Timeout | undefined;
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
