/**
 * Decides how far a cursor may move (SPEC C2, C4) while messages are archived concurrently and
 * finish out of order. Messages are started in source order (IMAP UIDs ascending, say); the safe
 * position is the highest one such that every message started at or before it has settled.
 *
 * A failed message settles too: it is recorded (`failures`) and reported with the task, and the
 * cursor moves past it, so one bad message never holds a mailbox back and the cursor never
 * regresses (C4). Re-archiving it is a decision for a later run, from the recorded failure.
 */
export class CursorTracker<P, E = unknown> {
  private readonly pending: { position: P; settled: boolean }[] = [];
  private readonly byPosition = new Map<P, { position: P; settled: boolean }>();
  private readonly failureList: { position: P; error: E }[] = [];
  private last: P | undefined;
  private safePosition: P | undefined;

  /**
   * @param initial the cursor as stored (nothing below it is started again)
   * @param compare orders positions; numbers by default
   */
  constructor(
    initial?: P,
    private readonly compare: (a: P, b: P) => number = (a, b) => (a as number) - (b as number),
  ) {
    this.safePosition = initial;
    this.last = initial;
  }

  /** A message is about to be archived; positions must increase. */
  start(position: P): void {
    if (this.last !== undefined && this.compare(position, this.last) <= 0) {
      throw new Error(`Position ${String(position)} does not follow ${String(this.last)}`);
    }
    const entry = { position, settled: false };
    this.pending.push(entry);
    this.byPosition.set(position, entry);
    this.last = position;
  }

  archived(position: P): void {
    this.settle(position);
  }

  failed(position: P, error: E): void {
    this.failureList.push({ position, error });
    this.settle(position);
  }

  /** The highest position the cursor may be saved at; undefined until something settled (or the initial). */
  get safe(): P | undefined {
    return this.safePosition;
  }

  /** Messages started but not settled. */
  get inFlight(): number {
    return this.byPosition.size;
  }

  get failures(): readonly { position: P; error: E }[] {
    return this.failureList;
  }

  private settle(position: P): void {
    const entry = this.byPosition.get(position);
    if (!entry) throw new Error(`Position ${String(position)} was not started or is already settled`);
    entry.settled = true;
    this.byPosition.delete(position);
    while (this.pending[0]?.settled) this.safePosition = this.pending.shift()?.position;
  }
}
