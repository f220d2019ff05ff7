import './node24-compat.js';

import { MAX_HONOURED_BACKOFF_MS, Throttle } from '@mailkeep/connector-kit';
import type { Egress } from '@mailkeep/egress';
import {
  ConnectingIdType,
  ExchangeCredentials,
  ExchangeService,
  ExchangeVersion,
  ImpersonatedUserId,
  ServiceResult,
  Uri,
} from 'ews-javascript-api';

import { type CallTrace, currentCall, EwsTransport } from './ews-transport.js';
import { EwsCallError, type EwsFailure, isServerBusy, parseEwsFailure } from './parse-ews-error.js';

/**
 * ErrorServerBusy answers retried per call before the task gives up (the queue then retries the
 * task after its own back-off, and the worker serves other mailboxes meanwhile).
 */
export const MAX_BUSY_ATTEMPTS = 10;
/**
 * First wait when ErrorServerBusy comes without BackOffMilliseconds (Thunderbird bug 1892085
 * shows it does): doubled per attempt. Exchange's budgets recharge per second, so half a second
 * is enough to tell "briefly over" from "over for minutes" within a few attempts.
 */
export const FIRST_UNSTATED_BACKOFF_MS = 500;
/**
 * EWS connections (and so requests in flight) per impersonated mailbox. Exchange's default
 * throttling policy allows 27 concurrent EWS connections per *service account*, shared by every
 * mailbox the worker archives at once; two keeps one GetItem downloading while the next is asked
 * for, without one mailbox using a tenth of the account's budget.
 */
export const CONNECTIONS_PER_MAILBOX = 2;

/**
 * Exchange 2013 SP1 is the schema every supported on-premises server (2016, 2019, SE) accepts and
 * the oldest that has everything used here.
 */
const REQUEST_VERSION = ExchangeVersion.Exchange2013_SP1;

/** Authentication is the transport's (Basic or NTLM, as the server offers); the library adds nothing. */
class TransportCredentials extends ExchangeCredentials {
  override PrepareWebRequest(): void {
    // The transport sets Authorization per connection.
  }
}

export interface MailboxEwsOptions {
  readonly egress: Egress;
  readonly url: URL;
  readonly login: string;
  readonly password: string;
  readonly timeoutMs: number;
  readonly rejectUnauthorized: boolean;
  /** The impersonated mailbox (SMTP address); none: the account's own (the connection test's first step). */
  readonly mailbox?: string;
  readonly signal: AbortSignal;
  /** Called for every ErrorServerBusy with the wait that follows (metrics, task log). */
  readonly onThrottled: (waitMs: number) => void;
}

/**
 * EWS for one impersonated mailbox: an ExchangeService with `ExchangeImpersonation` and the
 * `X-AnchorMailbox` header (which the library does not add, and which Exchange 2013+ routes on),
 * over the egress transport, with ErrorServerBusy retried in all three shapes the library
 * produces. Errors come out as `EwsCallError`s (ContractErrors keeping the EWS failure).
 */
export class MailboxEws {
  readonly service: ExchangeService;
  readonly transport: EwsTransport;
  private readonly throttle = new Throttle();

  constructor(readonly options: MailboxEwsOptions) {
    this.transport = new EwsTransport({
      egress: options.egress,
      url: options.url,
      login: options.login,
      password: options.password,
      timeoutMs: options.timeoutMs,
      rejectUnauthorized: options.rejectUnauthorized,
      connections: CONNECTIONS_PER_MAILBOX,
    });
    const service = new ExchangeService(REQUEST_VERSION);
    service.Url = new Uri(options.url.toString());
    service.Credentials = new TransportCredentials();
    service.XHRApi = this.transport;
    service.Timeout = options.timeoutMs;
    if (options.mailbox !== undefined) {
      service.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, options.mailbox);
      service.HttpHeaders.Add('X-AnchorMailbox', options.mailbox);
    }
    this.service = service;
  }

  get mailbox(): string | undefined {
    return this.options.mailbox;
  }

  /**
   * Runs one EWS call. `responses` lists the per-item responses of a multi-item call so an error
   * inside the collection (ErrorServerBusy included) is treated like a thrown one.
   */
  async call<T>(
    what: string,
    request: (service: ExchangeService) => Promise<T>,
    responses?: (result: T) => readonly ResponseLike[],
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      await this.throttle.wait(this.options.signal);
      const trace: CallTrace = {};
      let failure: EwsFailure;
      try {
        const result = await currentCall.run(trace, () => request(this.service));
        const busy = responses?.(result).find(
          (r) => r.Result === ServiceResult.Error && isServerBusy(parseEwsFailure({ Response: r })),
        );
        if (!busy) return result;
        failure = parseEwsFailure({ Response: busy });
      } catch (error) {
        failure = parseEwsFailure(error, trace);
      }
      if (!isServerBusy(failure)) throw new EwsCallError(failure, what);
      const wait = failure.backOffMs ?? FIRST_UNSTATED_BACKOFF_MS * 2 ** Math.min(attempt - 1, 8);
      if (attempt >= MAX_BUSY_ATTEMPTS || wait > MAX_HONOURED_BACKOFF_MS) {
        throw new EwsCallError(
          { ...failure, message: `${failure.message}; gave up after ${attempt} busy answers` },
          what,
        );
      }
      // Every call of this mailbox waits: concurrent requests would only collect more refusals.
      this.throttle.backOff(wait);
      this.options.onThrottled(wait);
    }
  }

  close(): void {
    this.transport.disconnect();
  }
}

/** The part of a ServiceResponse the session reads. */
export interface ResponseLike {
  readonly Result: ServiceResult;
  readonly ErrorCode: number;
  readonly ErrorMessage: string;
}
