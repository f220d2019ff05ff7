/**
 * Injectable faults and the counters tests assert on. Faults are drawn from a seeded PRNG so a
 * failing run can be reproduced with the same seed.
 */
export interface EwsFaultOptions {
  /** Fraction (0..1) of requests answered ErrorServerBusy. */
  busyFraction?: number;
  /**
   * How ErrorServerBusy arrives: `fault` (HTTP 500 SOAP fault, what Exchange sends when the
   * budget is exhausted before the request runs), `item` (HTTP 200 with a per-response-message
   * error), or `mixed` (alternating). Default `fault`.
   */
  busyShape?: 'fault' | 'item' | 'mixed';
  /** `BackOffMilliseconds` in the busy answer; `null` leaves it out (seen in the wild). Default 50. */
  backOffMilliseconds?: number | null;
  /** Every response waits this long first. */
  delayMs?: number;
  /** Fraction of GetItem responses whose connection is cut after half of the MIME. */
  brokenFraction?: number;
  seed?: number;
}

export const DEFAULT_BACK_OFF_MILLISECONDS = 50;
/** Timers fire a few milliseconds early or late; a retry this close to the deadline is on time. */
const RETRY_TOLERANCE_MS = 25;

export class EwsFakeCounters {
  requests = 0;
  /** 401 answers: challenges and refused credentials. */
  unauthorized = 0;
  /** Credentials refused (wrong password, unknown account, bad NTLM proof). */
  authFailures = 0;
  basicLogins = 0;
  /** Completed NTLM handshakes (type 3 verified). */
  ntlmLogins = 0;
  serverBusy = 0;
  /** Requests that came back before the BackOffMilliseconds they were given had passed. */
  earlyRetries = 0;
  invalidSyncStates = 0;
  impersonationDenied = 0;
  /** Impersonated requests whose X-AnchorMailbox did not name the impersonated mailbox. */
  anchorMismatches = 0;
  brokenResponses = 0;
  /** Most ids one GetItem asked for. */
  maxGetItemIds = 0;
  /** Highest number of requests in flight at once, per mailbox. */
  readonly maxInFlightPerMailbox = new Map<string, number>();
  readonly byOperation = new Map<string, number>();
  /**
   * ErrorServerBusy answers by shape and operation (`item GetItem`): the library surfaces the
   * `item` shape of a one-response call and of a multi-item call differently.
   */
  readonly busyAnswers = new Map<string, number>();
  /** DeleteItem calls: the id and the DeleteType asked for, in order. */
  readonly deletes: { id: string; deleteType: string }[] = [];

  operation(name: string): number {
    return this.byOperation.get(name) ?? 0;
  }
}

export class FaultInjector {
  options: EwsFaultOptions = {};
  private state = 21;
  private busyCount = 0;
  /** When each request answered busy with a back-off may come back (by mailbox and request body). */
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly counters: EwsFakeCounters) {}

  configure(options: EwsFaultOptions): void {
    this.options = options;
    this.state = options.seed ?? 21;
  }

  /** Mulberry32: small, seeded, good enough for fault draws. */
  draw(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Whether a request is answered busy, and how. `request` names the mailbox and the request
   * itself (its body), so a retry — the same request again — that came back before the back-off
   * its busy answer asked for is counted.
   */
  busy(request: string): { shape: 'fault' | 'item'; backOffMilliseconds: number | undefined } | undefined {
    const due = this.notBefore.get(request);
    if (due !== undefined && Date.now() + RETRY_TOLERANCE_MS < due) this.counters.earlyRetries += 1;
    this.notBefore.delete(request);
    const fraction = this.options.busyFraction ?? 0;
    if (fraction <= 0 || this.draw() >= fraction) return undefined;
    this.counters.serverBusy += 1;
    this.busyCount += 1;
    const configured = this.options.backOffMilliseconds;
    const backOffMilliseconds =
      configured === null ? undefined : (configured ?? DEFAULT_BACK_OFF_MILLISECONDS);
    if (backOffMilliseconds !== undefined) this.notBefore.set(request, Date.now() + backOffMilliseconds);
    const shape = this.options.busyShape ?? 'fault';
    return {
      shape: shape === 'mixed' ? (this.busyCount % 2 === 0 ? 'item' : 'fault') : shape,
      backOffMilliseconds,
    };
  }

  broken(): boolean {
    const fraction = this.options.brokenFraction ?? 0;
    return fraction > 0 && this.draw() < fraction;
  }
}
