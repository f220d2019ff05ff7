import { randomUUID } from 'node:crypto';

import { SERVICE_PING_V1, type ServicePingReply, type ServicePingRequest } from '@mailkeep/contracts';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import type { Subscription } from '@nats-io/transport-node';
import { isObservable, lastValueFrom } from 'rxjs';

import { type MessageBus, NO_REPLY } from '../core/message-bus.js';
import type { ConsumerHandle } from '../core/work-consumer.js';
import { BUS_ROUTE, type BusRoute } from './decorators.js';

export interface MessageBusServerOptions {
  /** The service's name: its queue group, its default durable consumer name, its ping identity. */
  readonly serviceName: string;
}

/**
 * The Nest transport over the MessageBus: `NestFactory.createMicroservice(Module, { strategy })`.
 * Each `@HandleRequest` handler is served with request–reply in the service's queue group, each
 * `@HandleMessage` handler consumes its contract's stream through a durable pull consumer; the bus
 * does what it always did around them (validation on receipt with the compiled fast path, acks,
 * heartbeats, nak with back-off, terminate, give-up callback, graceful stop) and Nest runs the
 * handler with its guards, interceptors, pipes and exception filters. The service also answers
 * `platform.req.service.ping.v1` for its name.
 *
 * The bus stays its owner's (MessagingModule closes it): `close` stops only what `listen` started,
 * so lifecycle hooks that run after it (a connector's worker) still have NATS.
 */
export class MessageBusServer extends Server implements CustomTransportStrategy {
  /** Event handlers must see the failure: the bus decides nak or terminate from it. */
  override readonly propagatesEventHandlerErrors = true;
  private readonly subscriptions: Subscription[] = [];
  private readonly consumers: ConsumerHandle[] = [];
  private readonly instanceId = randomUUID();
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly bus: MessageBus,
    private readonly options: MessageBusServerOptions,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const queue = this.options.serviceName;
      this.subscriptions.push(this.bus.serve(SERVICE_PING_V1, (request) => this.ping(request), { queue }));
      for (const [pattern, handler] of this.messageHandlers) await this.route(pattern, handler);
      // Subscriptions are sent to the server asynchronously; once flushed, the service really answers.
      await this.bus.connection.flush();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    await Promise.allSettled(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  /** Nest's event emitter hook: this transport reports its state through the logger only. */
  on(): never {
    throw new Error('MessageBusServer has no events; read the MessageBus instead');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private async route(pattern: string, handler: MessageHandler): Promise<void> {
    const route = handler.extras?.[BUS_ROUTE] as BusRoute | undefined;
    if (!route) {
      throw new Error(`${pattern}: handlers on the bus are declared with @HandleRequest or @HandleMessage`);
    }
    if (route.kind === 'request') {
      const subscription = this.bus.serve(
        route.contract,
        async (request, context) => settled(await handler(request, context)),
        { queue: this.options.serviceName, span: false },
      );
      this.subscriptions.push(subscription);
      return;
    }
    const consumer = await this.bus.consume(route.contract, {
      ...route.options,
      durable: route.options.durable ?? this.options.serviceName,
      span: false,
      handler: async (payload, delivery) => {
        await settled(await handler(payload, delivery));
      },
    });
    this.consumers.push(consumer);
  }

  /**
   * Every service gets every ping (one copy per queue group) and only the named one answers; the
   * others stay silent, so the requester gets exactly that service's reply or a timeout.
   */
  private ping(request: ServicePingRequest): Promise<ServicePingReply | typeof NO_REPLY> {
    if (request.service !== this.options.serviceName) return Promise.resolve(NO_REPLY);
    return Promise.resolve({
      service: this.options.serviceName,
      instanceId: this.instanceId,
      startedAt: this.startedAt,
    });
  }
}

/**
 * The last value of what Nest's handler pipeline returned: an observable when interceptors or a
 * filter took part, the handler's own value otherwise (read without an rxjs round trip).
 */
async function settled<T>(result: unknown): Promise<T> {
  return (isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result) as T;
}
