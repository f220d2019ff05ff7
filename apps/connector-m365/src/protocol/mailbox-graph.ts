import { Readable } from 'node:stream';

import { MAX_HONOURED_BACKOFF_MS, Throttle, ThrottledError } from '@mailkeep/connector-kit';
import { type ContractError } from '@mailkeep/contracts';
import type { Client } from '@microsoft/microsoft-graph-client';

import { toContractError } from './parse-graph-error.js';
import { RequestSlots } from './request-slots.js';

/**
 * Outlook's documented concurrency limit: 4 requests at once per app and mailbox (a fifth is
 * answered 429 MailboxConcurrency). Every request of a task, `$value` downloads included, holds
 * one of these slots until its response body is consumed.
 */
export const MAILBOX_REQUESTS_IN_FLIGHT = 4;

/**
 * Throttled answers retried per request before the task gives up (it is then retried by the
 * queue later). Ten 429s in a row for one request means the tenant is saturated; at 30 % random
 * throttling the chance of ten in a row is 6 in a million.
 */
export const MAX_THROTTLED_ATTEMPTS = 10;

/**
 * Wait after a 429/503/504 that carries no Retry-After (504s from Graph's gateway usually do
 * not): 2 s doubling per attempt, close to the SDK's own retry handler, so a brief overload passes
 * without the task sleeping for the kit's generic 30 s default.
 */
const FIRST_UNSTATED_BACKOFF_MS = 2_000;

export interface MailboxGraphOptions {
  readonly client: Client;
  /** The mailbox's user id or address, as it appears in `/users/{mailbox}`. */
  readonly mailbox: string;
  /** Worker-wide request cap (MAILKEEP_M365_REQUESTS_IN_FLIGHT), shared by every task. */
  readonly workerSlots: RequestSlots;
  readonly signal: AbortSignal;
  /** Called for every throttled answer with the wait that follows (metrics, task log). */
  readonly onThrottled: (waitMs: number) => void;
  /**
   * The token for this mailbox's app (cached). Asked before each request, so a refused credential
   * surfaces as the identity platform's own error: inside the SDK's middleware it would be
   * flattened into a GraphError without status, indistinguishable from a network failure.
   */
  readonly accessToken: () => Promise<string>;
  /** Forget the cached token (Graph answered 401 to it); one retry follows. */
  readonly onTokenRejected: () => void;
  /** Tests set tighter per-mailbox limits. */
  readonly mailboxSlots?: RequestSlots;
}

/**
 * One mailbox's requests to Graph, paced as Outlook asks: at most 4 in flight, a shared wait after
 * any throttled answer (so concurrent requests do not each collect a 429), `Retry-After` honoured
 * (seconds or HTTP-date), every throttle counted. Errors come out as ContractErrors.
 */
export class MailboxGraph {
  readonly client: Client;
  readonly mailbox: string;
  /** `/users/{mailbox}` with the address escaped for a URL path. */
  readonly userPath: string;
  private readonly slots: RequestSlots;
  private readonly throttle = new Throttle();

  constructor(private readonly options: MailboxGraphOptions) {
    this.client = options.client;
    this.mailbox = options.mailbox;
    this.userPath = `/users/${encodeURIComponent(options.mailbox)}`;
    this.slots = options.mailboxSlots ?? new RequestSlots(MAILBOX_REQUESTS_IN_FLIGHT);
  }

  /** A JSON request; `what` names it in errors and logs. */
  async call<T>(what: string, request: (client: Client) => Promise<T>): Promise<T> {
    return this.withRetries(what, async (release) => {
      try {
        return await request(this.client);
      } finally {
        release();
      }
    });
  }

  /**
   * A streamed response (`$value`): the slots are held until the body has been read or the
   * stream destroyed, so a 150 MB download counts as one request for its whole duration.
   */
  async stream(
    what: string,
    request: (client: Client) => Promise<ReadableStream<Uint8Array>>,
  ): Promise<Readable> {
    return this.withRetries(what, async (release) => {
      let body: ReadableStream<Uint8Array>;
      try {
        body = await request(this.client);
      } catch (error) {
        release();
        throw error;
      }
      const readable = Readable.fromWeb(body);
      readable.once('close', release);
      return readable;
    });
  }

  private async withRetries<T>(what: string, attempt: (release: () => void) => Promise<T>): Promise<T> {
    let tokenRetried = false;
    for (let number = 1; ; number += 1) {
      await this.throttle.wait(this.options.signal);
      const releaseMailbox = await this.slots.acquire(this.options.signal);
      let releaseWorker: () => void;
      try {
        releaseWorker = await this.options.workerSlots.acquire(this.options.signal);
      } catch (error) {
        releaseMailbox();
        throw error;
      }
      const release = (): void => {
        releaseWorker();
        releaseMailbox();
      };
      try {
        await this.options.accessToken();
        return await attempt(release);
      } catch (caught) {
        release();
        const error = toContractError(caught, what);
        if (error instanceof ThrottledError) {
          const wait =
            error.retryAfterMs > 0
              ? error.retryAfterMs
              : FIRST_UNSTATED_BACKOFF_MS * 2 ** Math.min(number - 1, 8);
          if (number >= MAX_THROTTLED_ATTEMPTS || wait > MAX_HONOURED_BACKOFF_MS) {
            // Longer than a task should sleep: the queue retries the task after its own back-off.
            throw new ThrottledError(`${error.message}; gave up after ${number} throttled attempts`, wait);
          }
          this.throttle.backOff(wait);
          this.options.onThrottled(wait);
          continue;
        }
        if (
          error.code === 'AUTH_FAILED' &&
          error.message.includes('InvalidAuthenticationToken') &&
          !tokenRetried
        ) {
          // An expired or revoked token: ask for a new one once; a second refusal is real.
          tokenRetried = true;
          this.options.onTokenRejected();
          continue;
        }
        throw error;
      }
    }
  }
}

/** A source that fails at once: records a message that could not be fetched through the kit's pipeline. */
export function failedSource(error: ContractError): Readable {
  const source = new Readable({ read: () => undefined });
  source.destroy(error);
  return source;
}
