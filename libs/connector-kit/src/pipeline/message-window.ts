/**
 * Keeps up to `limit` messages of one task in flight through the archive pipeline, so the storage's
 * fsyncs (or S3 round trips), the stream's acks and the next fetch overlap instead of queueing one
 * message behind the other. Messages still *start* in the order `add` is called, which is what a
 * CursorTracker needs; they may finish in any order.
 *
 * The first failure (a thrown error: a lost connection, a cancellation) stops the window: `add`
 * rethrows it instead of starting more, and `drain` waits for the messages already in flight (so
 * their outcome is recorded before the caller saves a cursor) and then rethrows it.
 */
export class MessageWindow {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer: ${limit}`);
  }

  /** Messages started and not finished. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Waits for a free place, then starts `work`; rethrows an earlier failure instead of starting. */
  async add(work: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.limit && !this.failure) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const running: Promise<void> = work()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Waits until nothing is in flight; rethrows the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.throwIfFailed();
  }

  /** Waits until nothing is in flight, whatever failed (for clean-up paths that throw their own error). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
