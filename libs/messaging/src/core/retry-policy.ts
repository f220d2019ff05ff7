/**
 * Redelivery delays for a JetStream consumer's nak. Grows so that a dependency that is down is
 * not hammered, and is capped so that a recovered dependency is used again within minutes.
 */
export interface RetryPolicy {
  /** Total deliveries (first try included) before a message is given up and terminated. */
  readonly maxDeliver: number;
  /** Delay before delivery n+1 after the n-th failed one; the last entry repeats. */
  readonly backoffMs: readonly number[];
}

/**
 * Defaults for commands and events: 10 deliveries over roughly half an hour. Long enough to ride
 * out a restart of PostgreSQL or a storage node, short enough that a failed task is reported the
 * same day rather than retried forever.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxDeliver: 10,
  backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000],
};

export function backoffFor(policy: RetryPolicy, deliveryCount: number): number {
  const index = Math.min(Math.max(deliveryCount - 1, 0), policy.backoffMs.length - 1);
  return policy.backoffMs[index] ?? 0;
}
