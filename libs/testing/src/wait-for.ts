import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface WaitForOptions {
  /** What is awaited, in words; the error on timeout names it. */
  readonly description: string;
  /**
   * Deadline for the whole wait. Five seconds is far above what a local PostgreSQL or NATS needs
   * to reach a state, yet short enough that a broken test fails fast instead of hitting vitest's timeout.
   */
  readonly timeoutMs?: number;
  /** Pause between attempts; 25 ms keeps latency low without busy-polling the server. */
  readonly intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_INTERVAL_MS = 25;

/** Raised when the deadline passes; `cause` is the last error the condition threw, if any. */
export class WaitForTimeoutError extends Error {
  override readonly name = 'WaitForTimeoutError';
}

/**
 * Polls `condition` until it returns (or resolves to) a truthy value and resolves with that value.
 * A condition that throws counts as "not yet" (e.g. a connection that is still refused); the last
 * error is kept as the timeout error's `cause`. Tests use this instead of fixed sleeps.
 */
export async function waitFor<T>(
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitForOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let attempts = 0;

  while (Date.now() <= deadline) {
    attempts += 1;
    try {
      const outcome = await raceDeadline(Promise.resolve().then(condition), deadline);
      if (outcome.settled && outcome.value) return outcome.value;
    } catch (err) {
      lastError = err;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await delay(Math.min(intervalMs, remaining));
  }

  const reason = lastError === undefined ? '' : `; last error: ${describe(lastError)}`;
  throw new WaitForTimeoutError(
    `Timed out after ${timeoutMs} ms (${attempts} attempt(s)) waiting for ${options.description}${reason}`,
    lastError === undefined ? undefined : { cause: lastError },
  );
}

type Outcome<T> = { settled: true; value: T } | { settled: false };

/** A condition that hangs must not stretch the wait past its deadline. */
async function raceDeadline<T>(attempt: Promise<T>, deadline: number): Promise<Outcome<T>> {
  const controller = new AbortController();
  const timeout = delay(Math.max(0, deadline - Date.now()), { settled: false } as const, {
    signal: controller.signal,
  }).catch(() => ({ settled: false }) as const);
  try {
    return await Promise.race([attempt.then((value) => ({ settled: true, value }) as const), timeout]);
  } finally {
    controller.abort();
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return typeof err === 'string' ? err : inspect(err);
}
