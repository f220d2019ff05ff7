import { ContractError, type CommandContract, type EventContract } from '@mailkeep/contracts';
import { type Logger, withSpan } from '@mailkeep/observability';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { type Context, SpanKind } from '@opentelemetry/api';

import { HEADER, incomingTraceContext } from './headers.js';
import { decodePayload } from './payload-codec.js';
import { backoffFor, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

/** What a handler learns about the message it is processing. */
export interface Delivery {
  readonly subject: string;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  readonly redelivered: boolean;
  readonly streamSequence: number;
  readonly msgId: string | undefined;
  /** The trace context the message carried (its publisher's span), the parent of the handler's span. */
  readonly traceParent: Context;
  /** Aborted when the consumer stops and the grace period is over: checkpoint and throw. */
  readonly signal: AbortSignal;
  /**
   * Tells the server the message is still being worked on (extends the ack deadline). Cheap to
   * call often: at most one heartbeat goes out per MIN_HEARTBEAT_GAP_MS.
   */
  working(): void;
}

export interface GiveUp<P> {
  readonly subject: string;
  readonly payload: P | undefined;
  readonly deliveryCount: number;
  readonly error: ContractError;
  /** `invalid`: the payload failed validation; `permanent`: a non-retryable error; `exhausted`: out of deliveries. */
  readonly reason: 'invalid' | 'permanent' | 'exhausted';
}

export interface ConsumeOptions<P> {
  /** Durable consumer name; every process using the same name shares its messages. */
  readonly durable: string;
  readonly handler: (payload: P, delivery: Delivery) => Promise<void>;
  /** Messages processed at once by this process. */
  readonly concurrency?: number;
  /**
   * How long the server waits for an ack before redelivering. Heartbeats extend it while a handler
   * runs, so it only bounds how fast the work of a crashed process is picked up again.
   */
  readonly ackWaitMs?: number;
  readonly retry?: RetryPolicy;
  /**
   * The handler's effect is idempotent (the catalog's insert skips rows it has): a handled message
   * is acked without waiting for the server to confirm the ack. A lost ack then costs a harmless
   * redelivery, and each message saves the confirmation's round trip through the server (for the
   * catalog, one of the few NATS messages per archived message). Default: confirmed acks.
   */
  readonly idempotent?: boolean;
  /** Where a new consumer starts; ignored when the durable consumer already exists. */
  readonly deliverFrom?: 'all' | 'new' | { readonly sequence: number } | { readonly time: Date };
  /** Called once for a message that is terminated, so the owner can record the failure. */
  readonly onGiveUp?: (giveUp: GiveUp<P>) => Promise<void> | void;
  /**
   * `false` when the handler opens its span itself (the Nest transport's TracingInterceptor does,
   * from `delivery.traceParent`), so that a delivery gets one span, not two. Default true.
   */
  readonly span?: boolean;
}

export interface ConsumerHandle {
  readonly durable: string;
  /** Stops pulling, waits for in-flight handlers (aborting them after the grace period). */
  stop(options?: { graceMs?: number }): Promise<void>;
  readonly stopped: Promise<void>;
}

/**
 * Explicit heartbeats closer together than this are dropped. Connectors call `working()` per
 * message (thousands a second), and each heartbeat is a message to the server; ack waits are tens
 * of seconds, and a running handler also gets one every third of its ack wait regardless.
 */
const MIN_HEARTBEAT_GAP_MS = 1_000;
/** Thirty seconds: a crashed worker's message is redelivered within half a minute. */
const DEFAULT_ACK_WAIT_MS = 30_000;
/** Ten seconds for in-flight work to finish on shutdown before handlers are asked to checkpoint. */
const DEFAULT_STOP_GRACE_MS = 10_000;
/**
 * Upper bound on unacknowledged messages across all processes of one durable consumer. It caps
 * how much work is out at once (and redelivered at once after an outage).
 */
const MAX_ACK_PENDING = 1_000;
/**
 * Deliveries beyond the retry policy, reserved for recording a give-up (onGiveUp publishes the
 * failure, e.g. a failed task event): if that callback fails, the message is nak'ed and recorded
 * on a later delivery instead of being terminated with its failure unreported. Three tries with
 * back-off ride out a short NATS or database hiccup.
 */
const GIVE_UP_SPARE_DELIVERIES = 3;

interface Deps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly logger: Logger;
}

export async function startConsumer<P extends object>(
  deps: Deps,
  contract: CommandContract<P> | EventContract<P>,
  options: ConsumeOptions<P>,
): Promise<ConsumerHandle> {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  await ensureConsumer(deps.jsm, contract.stream.name, {
    durable_name: options.durable,
    filter_subject: contract.subject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ackWaitMs),
    // The server stops redelivering at this count. The policy's last delivery is terminated by us
    // first; the spare deliveries exist only to retry recording a give-up whose callback failed.
    max_deliver: retry.maxDeliver + GIVE_UP_SPARE_DELIVERIES,
    max_ack_pending: MAX_ACK_PENDING,
    ...deliverPolicy(options.deliverFrom),
  });
  const consumer = await deps.js.consumers.get(contract.stream.name, options.durable);
  // Pull no more than we can work on, so buffered messages do not age towards their ack deadline.
  const messages = await consumer.consume({ max_messages: concurrency });
  const runner = new ConsumerRunner(
    deps.logger,
    contract,
    options,
    { concurrency, ackWaitMs, retry },
    messages,
  );
  const stopped = runner.run();
  return {
    durable: options.durable,
    stop: (stopOptions) => runner.stop(stopOptions?.graceMs ?? DEFAULT_STOP_GRACE_MS),
    stopped,
  };
}

async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig>,
): Promise<void> {
  const durable = config.durable_name ?? '';
  const existing = await jsm.consumers.info(stream, durable).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)
      return undefined;
    throw error;
  });
  if (!existing) {
    // Two processes may create it at once; creating an identical consumer is idempotent on the server.
    await jsm.consumers.add(stream, config);
    return;
  }
  const { ack_wait, max_deliver, max_ack_pending } = config;
  const drifted =
    existing.config.ack_wait !== ack_wait ||
    existing.config.max_deliver !== max_deliver ||
    existing.config.max_ack_pending !== max_ack_pending;
  if (drifted) {
    await jsm.consumers.update(stream, durable, {
      ...(ack_wait !== undefined && { ack_wait }),
      ...(max_deliver !== undefined && { max_deliver }),
      ...(max_ack_pending !== undefined && { max_ack_pending }),
    });
  }
}

function deliverPolicy(from: ConsumeOptions<object>['deliverFrom']): Partial<ConsumerConfig> {
  if (from === undefined || from === 'all') return { deliver_policy: DeliverPolicy.All };
  if (from === 'new') return { deliver_policy: DeliverPolicy.New };
  if ('sequence' in from)
    return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from.sequence };
  return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: from.time.toISOString() };
}

class ConsumerRunner<P extends object> {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopping = false;
  private freeSlot?: () => void;

  constructor(
    private readonly logger: Logger,
    private readonly contract: CommandContract<P> | EventContract<P>,
    private readonly options: ConsumeOptions<P>,
    private readonly limits: { concurrency: number; ackWaitMs: number; retry: RetryPolicy },
    private readonly messages: ConsumerMessages,
  ) {}

  async run(): Promise<void> {
    try {
      for await (const message of this.messages) {
        if (this.stopping) {
          // Pulled but not started: hand it back at once instead of letting it wait for ack_wait.
          message.nak();
          continue;
        }
        const work = this.process(message).finally(() => {
          this.inFlight.delete(work);
          this.freeSlot?.();
        });
        this.inFlight.add(work);
        while (this.inFlight.size >= this.limits.concurrency && !this.stopping) {
          await new Promise<void>((resolve) => (this.freeSlot = resolve));
        }
      }
    } catch (error) {
      this.logger.error('consumer loop failed', { durable: this.options.durable, error });
    }
    await Promise.allSettled([...this.inFlight]);
  }

  async stop(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.freeSlot?.();
    // On a connection that is already gone, closing the pull can wait forever: bound it too.
    await withinMs(this.messages.close(), graceMs);
    await withinMs(Promise.allSettled([...this.inFlight]), graceMs);
    this.abort.abort(new ContractError('TEMPORARY', 'The consumer is shutting down'));
    // Handlers were asked to checkpoint; one that ignores the signal is abandoned after another
    // grace period. Its message was never acked, so the server redelivers it after ack_wait.
    const settled = await withinMs(Promise.allSettled([...this.inFlight]), graceMs);
    if (!settled) {
      this.logger.warn('handlers still running after shutdown grace; their messages will be redelivered', {
        durable: this.options.durable,
        inFlight: this.inFlight.size,
      });
    }
  }

  private async process(message: JsMsg): Promise<void> {
    const traceParent = incomingTraceContext(message.headers);
    if (this.options.span === false) return this.handle(message, traceParent);
    await withSpan(`${this.contract.subject} process`, { kind: SpanKind.CONSUMER, parent: traceParent }, () =>
      this.handle(message, traceParent),
    );
  }

  private async handle(message: JsMsg, traceParent: Context): Promise<void> {
    let payload: P;
    try {
      payload = await decodePayload(this.contract.payload, message.data);
    } catch (error) {
      // An invalid message can never succeed: terminate it so it is not redelivered.
      await this.giveUp(message, undefined, toContractError(error), 'invalid');
      return;
    }
    if (message.info.deliveryCount > this.limits.retry.maxDeliver) {
      // Out of tries already: this delivery only exists to record the give-up that failed before.
      const exhausted = new ContractError('TEMPORARY', 'No deliveries left after repeated failures');
      await this.giveUp(message, payload, exhausted, 'exhausted');
      return;
    }
    // Heartbeat at a third of the ack wait so a slow network still gets one through in time.
    const heartbeat = setInterval(() => sendHeartbeat(message), Math.max(this.limits.ackWaitMs / 3, 100));
    try {
      await this.options.handler(payload, this.deliveryOf(message, traceParent));
      if (this.options.idempotent) message.ack();
      else await message.ackAck();
    } catch (error) {
      await this.fail(message, payload, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async fail(message: JsMsg, payload: P, error: unknown): Promise<void> {
    const contractError = toContractError(error);
    // Errors that are not ContractErrors are unexpected (a bug or an outage): worth retrying.
    const retryable = !(error instanceof ContractError) || contractError.retryable;
    if (!retryable) return this.giveUp(message, payload, contractError, 'permanent');
    if (message.info.deliveryCount >= this.limits.retry.maxDeliver) {
      return this.giveUp(message, payload, contractError, 'exhausted');
    }
    const delayMs = this.stopping ? 0 : backoffFor(this.limits.retry, message.info.deliveryCount);
    this.logger.warn('message failed, will be redelivered', {
      subject: message.subject,
      deliveryCount: message.info.deliveryCount,
      delayMs,
      error: contractError.message,
    });
    message.nak(delayMs);
  }

  private async giveUp(
    message: JsMsg,
    payload: P | undefined,
    error: ContractError,
    reason: GiveUp<P>['reason'],
  ) {
    this.logger.error('giving up on message', {
      subject: message.subject,
      streamSequence: message.info.streamSequence,
      deliveryCount: message.info.deliveryCount,
      reason,
      code: error.code,
      error: error.message,
      fields: error.fields,
    });
    try {
      await this.options.onGiveUp?.({
        subject: message.subject,
        payload,
        deliveryCount: message.info.deliveryCount,
        error,
        reason,
      });
    } catch (callbackError) {
      const lastChance =
        message.info.deliveryCount >= this.limits.retry.maxDeliver + GIVE_UP_SPARE_DELIVERIES;
      this.logger.error(
        lastChance ? 'give-up callback failed for the last time' : 'give-up callback failed, will retry',
        {
          subject: message.subject,
          streamSequence: message.info.streamSequence,
          error: callbackError,
        },
      );
      if (!lastChance) {
        message.nak(backoffFor(this.limits.retry, message.info.deliveryCount));
        return;
      }
    }
    // No reason text on the TERM: servers before 2.10.4 ignore a `+TERM <reason>` entirely and
    // would redeliver the message after ack_wait (caught by the invalid-command test on 2.9).
    // The reason is in the log line above and went to onGiveUp.
    message.term();
  }

  private deliveryOf(message: JsMsg, traceParent: Context): Delivery {
    let lastHeartbeat = Number.NEGATIVE_INFINITY;
    return {
      subject: message.subject,
      deliveryCount: message.info.deliveryCount,
      redelivered: message.redelivered,
      streamSequence: message.info.streamSequence,
      msgId: message.headers?.has(HEADER.msgId) ? message.headers.get(HEADER.msgId) : undefined,
      traceParent,
      signal: this.abort.signal,
      working: () => {
        const now = performance.now();
        if (now - lastHeartbeat < MIN_HEARTBEAT_GAP_MS) return;
        lastHeartbeat = now;
        sendHeartbeat(message);
      },
    };
  }
}

/** Resolves true when the promise settles within ms, false when the time runs out first. */
async function withinMs(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A heartbeat on a closed connection throws; the message is then redelivered after ack_wait
 * anyway, so losing the heartbeat is harmless and must not crash the process from a timer.
 */
function sendHeartbeat(message: JsMsg): void {
  try {
    message.working();
  } catch {
    // Connection gone: nothing to extend.
  }
}

function toContractError(error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  return new ContractError('TEMPORARY', error instanceof Error ? error.message : String(error));
}
