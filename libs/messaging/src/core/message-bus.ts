import { randomUUID } from 'node:crypto';

import {
  ContractError,
  type CommandContract,
  type EventContract,
  type RequestContract,
  type StreamDefinition,
  type BucketDefinition,
} from '@mailkeep/contracts';
import { type Logger, withSpan } from '@mailkeep/observability';
import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  type PubAck,
} from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import {
  connect,
  type Msg,
  type NatsConnection,
  NoRespondersError,
  RequestError,
  type Subscription,
  TimeoutError,
} from '@nats-io/transport-node';
import { type Context, SpanKind } from '@opentelemetry/api';

import { HEADER, incomingTraceContext, outgoingHeaders } from './headers.js';
import { decodeJson, decodePayload, encodeJson, toValidPayload } from './payload-codec.js';
import { ensureReplicas, ensureStream } from './streams.js';
import { type ConsumerHandle, type ConsumeOptions, startConsumer } from './work-consumer.js';

/**
 * Default wait for a reply. Long enough for a handler that does a few database round trips on a
 * loaded machine, short enough that an HTTP caller gets a clear 503 instead of hanging.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** Pause before resending a publish: 250 ms doubling up to the client's reconnect interval (2 s). */
function publishRetryPause(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 2_000);
}

export interface MessageBusOptions {
  /** One or more NATS URLs (comma-separated is accepted too). */
  readonly servers: string | readonly string[];
  /** Connection name shown by the NATS server, e.g. `mailkeep-api`. */
  readonly name: string;
  readonly logger: Logger;
  /**
   * Servers each stream and KV bucket this bus declares is kept on (MAILKEEP_NATS_REPLICAS):
   * 1 on one server, 3 on a cluster so that losing a node loses nothing. Default 1.
   */
  readonly replicas?: number;
}

export interface RequestContext {
  readonly subject: string;
  /** The trace context the request carried (its sender's span), the parent of the handler's span. */
  readonly traceParent: Context;
}

export interface ServeOptions {
  /** Queue group: replicas of a service share the load and each request is answered once. */
  readonly queue: string;
  /**
   * `false` when the caller opens the handler's span itself (the Nest transport's
   * TracingInterceptor does, from `traceParent`), so that a request gets one span, not two.
   */
  readonly span?: boolean;
}

/**
 * Returned by a handler that leaves a request to another responder (every service receives a
 * service ping, only the named one answers).
 */
export const NO_REPLY: unique symbol = Symbol('mailkeep:no-reply');

/** A live, non-durable subscription (see MessageBus.subscribe). */
export interface EventSubscription {
  /** Stops delivery at once: no handler call happens after it returns. Calling it twice is harmless. */
  unsubscribe(): void;
}

export type RequestHandler<Req, Rep> = (
  request: Req,
  context: RequestContext,
) => Promise<Rep | typeof NO_REPLY>;

/**
 * The one door to NATS for every service: typed request–reply, JetStream publishing, durable
 * consumers, streams and KV buckets. Payloads are validated on receipt; errors cross as coded
 * ContractErrors; trace context travels in headers.
 */
export class MessageBus {
  private readonly subscriptions = new Set<Subscription>();
  private readonly liveSubscriptions = new Set<EventSubscription>();
  /**
   * Validation is asynchronous: the handlers of every live subscription are called through this
   * one chain, so they run in the order the connection received the messages, across subjects
   * too (a run's last log line before its finished event).
   */
  private liveDelivery = Promise.resolve();
  private readonly consumers = new Set<ConsumerHandle>();
  private readonly inFlightReplies = new Set<Promise<void>>();
  private readonly declaredStreams = new Map<string, Promise<void>>();
  private readonly openBuckets = new Map<string, Promise<KV>>();
  private readonly js: JetStreamClient;
  private manager?: Promise<JetStreamManager>;

  private constructor(
    readonly connection: NatsConnection,
    private readonly logger: Logger,
    private readonly replicas: number,
  ) {
    this.js = jetstream(connection);
  }

  static async connect(options: MessageBusOptions): Promise<MessageBus> {
    const { servers, user, pass } = serversAndCredentials(options.servers);
    const connection = await connect({
      servers,
      name: options.name,
      ...(user !== undefined && { user, pass, inboxPrefix: inboxPrefixOf(user) }),
      // Keep trying for ever: a service outlives a NATS restart instead of crashing with it.
      maxReconnectAttempts: -1,
      // Two seconds between attempts keeps a restarting cluster from being stormed by clients.
      reconnectTimeWait: 2_000,
      // The client otherwise allocates an Error (a stack capture) for every request and JetStream
      // publish to improve the trace of a later timeout; at thousands of publishes a second that
      // is measurable CPU (bench profile: 1–2% of a connector's), and our errors name the subject.
      noAsyncTraces: true,
    });
    options.logger.info('connected to NATS', { server: connection.getServer(), name: options.name });
    return new MessageBus(connection, options.logger, options.replicas ?? 1);
  }

  get jetstream(): JetStreamClient {
    return this.js;
  }

  jetstreamManager(): Promise<JetStreamManager> {
    this.manager ??= jetstreamManager(this.connection);
    return this.manager;
  }

  /** Sends a typed request and returns the validated reply, or throws the responder's ContractError. */
  async request<Req extends object, Rep extends object>(
    contract: RequestContract<Req, Rep>,
    payload: Req,
    options: { timeoutMs?: number } = {},
  ): Promise<Rep> {
    const body = await toValidPayload(contract.request, payload);
    return withSpan(`${contract.subject} request`, { kind: SpanKind.CLIENT }, async () => {
      let reply: Msg;
      try {
        reply = await this.connection.request(contract.subject, encodeJson(body), {
          timeout: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
          headers: outgoingHeaders(),
        });
      } catch (error) {
        throw toTransportError(contract.subject, error);
      }
      if (reply.headers?.has(HEADER.error)) throw ContractError.fromBody(decodeJson(reply.data));
      try {
        return await decodePayload(contract.reply, reply.data);
      } catch (error) {
        // A reply that breaks its contract is the responder's bug, not the caller's bad input.
        const detail = error instanceof ContractError ? JSON.stringify(error.fields) : String(error);
        throw new ContractError('INTERNAL', `Invalid reply on ${contract.subject}: ${detail}`);
      }
    });
  }

  /**
   * A lookup that may miss: like `request`, but the responder's NOT_FOUND is `undefined`. Every
   * other failure, a missing responder included, still throws: it must never pass as "absent".
   */
  async find<Req extends object, Rep extends object>(
    contract: RequestContract<Req, Rep>,
    payload: Req,
    options: { timeoutMs?: number } = {},
  ): Promise<Rep | undefined> {
    try {
      return await this.request(contract, payload, options);
    } catch (error) {
      if (error instanceof ContractError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  /**
   * Answers requests on the contract's subject inside a queue group, so that replicas of a service
   * share the load and each request is answered once.
   */
  serve<Req extends object, Rep extends object>(
    contract: RequestContract<Req, Rep>,
    handler: RequestHandler<Req, Rep>,
    options: ServeOptions,
  ): Subscription {
    const subscription = this.connection.subscribe(contract.subject, {
      queue: options.queue,
      callback: (error, msg) => {
        if (error) {
          this.logger.error('subscription failed', { subject: contract.subject, error });
          return;
        }
        const work = this.answer(contract, handler, msg, options.span ?? true).finally(() =>
          this.inFlightReplies.delete(work),
        );
        this.inFlightReplies.add(work);
      },
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  private async answer<Req extends object, Rep extends object>(
    contract: RequestContract<Req, Rep>,
    handler: RequestHandler<Req, Rep>,
    msg: Msg,
    span: boolean,
  ): Promise<void> {
    const traceParent = incomingTraceContext(msg.headers);
    const respond = async () => {
      try {
        const request = await decodePayload(contract.request, msg.data);
        const reply = await handler(request, { subject: msg.subject, traceParent });
        if (reply === NO_REPLY) return;
        msg.respond(encodeJson(reply), { headers: outgoingHeaders() });
      } catch (error) {
        const contractError = this.asContractError(contract.subject, error);
        msg.respond(encodeJson(contractError.toBody()), {
          headers: outgoingHeaders({ [HEADER.error]: contractError.code }),
        });
      }
    };
    if (!span) return respond();
    await withSpan(`${contract.subject} process`, { kind: SpanKind.SERVER, parent: traceParent }, respond);
  }

  /**
   * Publishes an event or command on its stream with a Nats-Msg-Id, and waits for the stream's ack.
   * With `retryForMs`, a publish that failed while NATS was away (no ack in time, JetStream not
   * answering yet after a restart) is sent again with the same Nats-Msg-Id until the stream acks
   * it or the time is up: the stream's duplicate window keeps a resend that had in fact landed
   * from being stored twice. A closed connection or an invalid payload is never retried.
   *
   * The ack's `duplicate` says whether someone else published the message first: a duplicate of
   * the same `origin` (default: this call) is the publisher's own earlier send and is acked as
   * new. Telling costs one read of the stored message per duplicate that may be the publisher's
   * own: one acked after a resend (its first ack lost), and, with `originMayRepeat`, any (the
   * origin is e.g. a task id and an earlier, killed attempt of the task may have sent it).
   */
  async publish<P extends object>(
    contract: CommandContract<P> | EventContract<P>,
    payload: P,
    options: { msgId: string; retryForMs?: number; origin?: string; originMayRepeat?: boolean },
  ): Promise<PubAck> {
    const body = await toValidPayload(contract.payload, payload);
    const deadline = Date.now() + (options.retryForMs ?? 0);
    const origin = options.origin ?? randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureStream(contract.stream);
        const ack = await withSpan(`${contract.subject} publish`, { kind: SpanKind.PRODUCER }, () =>
          this.js.publish(contract.subject, encodeJson(body), {
            msgID: options.msgId,
            headers: outgoingHeaders({ [HEADER.origin]: origin }),
          }),
        );
        const mayBeOwn = ack.duplicate && (attempt > 0 || options.originMayRepeat === true);
        return mayBeOwn ? await this.unlessPublishedBy(origin, ack) : ack;
      } catch (error) {
        const pause = publishRetryPause(attempt);
        if (this.connection.isClosed() || Date.now() + pause > deadline) throw error;
        if (attempt === 0) {
          this.logger.warn('publish not acknowledged; sending it again', {
            subject: contract.subject,
            error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /**
   * A duplicate ack about the publisher's own earlier send (see `publish`): the stored message, at
   * the sequence the ack names, carries the same origin, and the publish is no duplicate at all —
   * counting it as one would undercount what a task archived. When the stored message cannot be
   * read (a work queue already handed it out, aged out), the ack stays as the server gave it.
   */
  private async unlessPublishedBy(origin: string, ack: PubAck): Promise<PubAck> {
    try {
      const jsm = await this.jetstreamManager();
      const stored = await jsm.streams.getMessage(ack.stream, { seq: ack.seq });
      if (stored?.header.get(HEADER.origin) === origin) return { ...ack, duplicate: false };
    } catch (error) {
      this.logger.debug('stored message of a duplicate ack not readable', {
        stream: ack.stream,
        seq: ack.seq,
        error,
      });
    }
    return ack;
  }

  /**
   * Listens to an event's subject live, without a durable consumer: what is published while
   * subscribed arrives, nothing before, nothing is acked or replayed (for live views; services that
   * must see every event use `consume`). Every replica and caller gets its own copy. Payloads are
   * validated; an invalid one is logged as a warning and skipped. Handlers are called one payload
   * at a time, in the order this connection received them (across all live subscriptions of the
   * bus); an exception a handler throws is logged, never rethrown. The server
   * knows of the subscription once the connection has flushed (`bus.connection.flush()`), or
   * before any later request or publish on this bus is processed (one connection keeps order).
   */
  subscribe<P extends object>(contract: EventContract<P>, handler: (payload: P) => void): EventSubscription {
    let active = true;
    const subscription = this.connection.subscribe(contract.subject, {
      callback: (error, msg) => {
        if (error) {
          this.logger.error('subscription failed', { subject: contract.subject, error });
          return;
        }
        const decoded = decodePayload(contract.payload, msg.data).then(
          (payload) => ({ payload }),
          (invalid: unknown) => ({ invalid }),
        );
        this.liveDelivery = this.liveDelivery.then(async () => {
          const result = await decoded;
          if (!active) return;
          if ('invalid' in result) {
            const fields = result.invalid instanceof ContractError ? result.invalid.fields : undefined;
            this.logger.warn('invalid event skipped', { subject: msg.subject, fields });
            return;
          }
          try {
            handler(result.payload);
          } catch (handlerError) {
            this.logger.error('event handler failed', { subject: contract.subject, error: handlerError });
          }
        });
      },
    });
    const live: EventSubscription = {
      unsubscribe: () => {
        if (!active) return;
        active = false;
        this.liveSubscriptions.delete(live);
        subscription.unsubscribe();
      },
    };
    this.liveSubscriptions.add(live);
    return live;
  }

  /** Declares a stream if it is missing, or brings its configuration up to date. Safe to call often. */
  ensureStream(definition: StreamDefinition): Promise<void> {
    let declared = this.declaredStreams.get(definition.name);
    if (!declared) {
      declared = this.jetstreamManager().then((jsm) => ensureStream(jsm, definition, this.replicas));
      // A failed declaration is retried on the next call rather than cached.
      declared.catch(() => this.declaredStreams.delete(definition.name));
      this.declaredStreams.set(definition.name, declared);
    }
    return declared;
  }

  /** Starts a durable pull consumer for a command or event contract (declared idempotently). */
  async consume<P extends object>(
    contract: CommandContract<P> | EventContract<P>,
    options: ConsumeOptions<P>,
  ): Promise<ConsumerHandle> {
    await this.ensureStream(contract.stream);
    const handle = await startConsumer(
      { js: this.js, jsm: await this.jetstreamManager(), logger: this.logger },
      contract,
      options,
    );
    this.consumers.add(handle);
    void handle.stopped.then(() => this.consumers.delete(handle));
    return handle;
  }

  /**
   * Opens a KV bucket, creating it when missing (create opens an existing bucket as it is). Opened
   * once per bucket and bus: opening costs JetStream API requests, which a task per mailbox (an
   * idle incremental pass over thousands) would otherwise pay each time. A failed open is not kept.
   */
  keyValue(
    bucket: string | BucketDefinition,
    options: { history?: number; ttlMs?: number } = {},
  ): Promise<KV> {
    // A shared bucket (contracts) is opened with its declared settings, so every service agrees.
    const settings: BucketDefinition =
      typeof bucket === 'string'
        ? { name: bucket, history: options.history ?? 1, ttlMs: options.ttlMs ?? 0 }
        : bucket;
    let opened = this.openBuckets.get(settings.name);
    if (!opened) {
      opened = this.openBucket(settings);
      opened.catch(() => this.openBuckets.delete(settings.name));
      this.openBuckets.set(settings.name, opened);
    }
    return opened;
  }

  private async openBucket(settings: BucketDefinition): Promise<KV> {
    const kv = await new Kvm(this.js).create(settings.name, {
      history: settings.history,
      replicas: this.replicas,
      ...(settings.ttlMs > 0 && { ttl: settings.ttlMs }),
    });
    // An existing bucket opens as it is: its stream (KV_<bucket>) may predate the replica count
    // configured now.
    await ensureReplicas(await this.jetstreamManager(), `KV_${settings.name}`, this.replicas);
    return kv;
  }

  /** Stops taking work, lets in-flight handlers finish, then drains the connection. */
  async close(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    // Also stops payloads already received but still being validated from reaching their handler.
    for (const live of this.liveSubscriptions) live.unsubscribe();
    await Promise.allSettled([...this.consumers].map((consumer) => consumer.stop()));
    await Promise.allSettled([...this.inFlightReplies]);
    if (!this.connection.isClosed()) await this.connection.drain();
  }

  private asContractError(subject: string, error: unknown): ContractError {
    if (error instanceof ContractError) return error;
    // An unexpected failure is logged in full here; the caller only learns that it happened.
    this.logger.error('request handler failed', { subject, error });
    return new ContractError('INTERNAL', `The handler for ${subject} failed`);
  }
}

/**
 * Splits `nats://user:password@host:4222` into the server list and the credentials: the client
 * does not read credentials from URLs, and deployments put each service's user in its
 * MAILKEEP_NATS_URL (deploy/nats/nats-server.conf). The first URL with credentials wins.
 */
/**
 * The reply inbox of a NATS user: `_INBOX_<user>`. deploy/nats/nats-server.conf lets each user
 * subscribe to its own prefix only and nobody to the shared `_INBOX.>`, so no service can read
 * another's replies (the plaintext of a secret resolve above all). Request replies, JetStream pull
 * deliveries and KV watches all arrive under it. Characters a subject token cannot hold become `_`.
 */
export function inboxPrefixOf(user: string): string {
  return `_INBOX_${user.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function serversAndCredentials(input: string | readonly string[]): {
  servers: string[];
  user?: string;
  pass?: string;
} {
  const list = (typeof input === 'string' ? input.split(',') : [...input])
    .map((s) => s.trim())
    .filter(Boolean);
  let user: string | undefined;
  let pass: string | undefined;
  const servers = list.map((server) => {
    const match = /^([a-z]+:\/\/)([^@/]*)@(.+)$/i.exec(server);
    if (!match) return server;
    const [, scheme = '', userInfo = '', rest = ''] = match;
    if (user === undefined && userInfo) {
      const separator = userInfo.indexOf(':');
      user = decodeURIComponent(separator < 0 ? userInfo : userInfo.slice(0, separator));
      pass = separator < 0 ? undefined : decodeURIComponent(userInfo.slice(separator + 1));
    }
    return `${scheme}${rest}`;
  });
  return { servers, ...(user !== undefined && { user }), ...(pass !== undefined && { pass }) };
}

function toTransportError(subject: string, error: unknown): ContractError {
  const noResponders =
    error instanceof NoRespondersError ||
    (error instanceof RequestError && error.isNoResponders()) ||
    (error instanceof Error && error.cause instanceof NoRespondersError);
  if (noResponders) {
    return new ContractError('UNAVAILABLE', `No service answers ${subject}`, { reason: 'no_responders' });
  }
  const timedOut =
    error instanceof TimeoutError || (error instanceof Error && error.cause instanceof TimeoutError);
  if (timedOut) return new ContractError('TIMEOUT', `No reply on ${subject} in time`, { reason: 'timeout' });
  return new ContractError('UNAVAILABLE', `Request on ${subject} failed: ${String(error)}`, {
    reason: 'transport',
  });
}
