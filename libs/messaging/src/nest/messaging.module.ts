import { randomUUID } from 'node:crypto';

import {
  type AnyRequestContract,
  SERVICE_PING_V1,
  type ServicePingReply,
  type ServicePingRequest,
  type StreamDefinition,
} from '@mailkeep/contracts';
import type { Logger } from '@mailkeep/observability';
import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

import { MessageBus, NO_REPLY } from '../core/message-bus.js';
import { MESSAGE_HANDLER, type MessageHandlerMetadata, REQUEST_HANDLER } from './decorators.js';

export const MESSAGING_OPTIONS = Symbol('mailkeep:messaging-options');

export interface MessagingModuleOptions {
  /** The service's name: its queue group, its default durable consumer name, its ping identity. */
  readonly serviceName: string;
  readonly natsUrl: string | readonly string[];
  readonly logger: Logger;
  /** MAILKEEP_NATS_REPLICAS: servers each stream and KV bucket is kept on (default 1). */
  readonly replicas?: number;
  /** Streams to declare at start-up in addition to those of the consumed contracts. */
  readonly streams?: readonly StreamDefinition[];
}

type Handler = (...args: unknown[]) => Promise<unknown>;

/**
 * Finds @HandleRequest / @HandleMessage methods on every provider at bootstrap and wires them to
 * the bus; answers service pings; closes the bus on shutdown.
 */
@Injectable()
export class MessagingExplorer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly instanceId = randomUUID();
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly bus: MessageBus,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all((this.options.streams ?? []).map((stream) => this.bus.ensureStream(stream)));
    this.bus.serve(SERVICE_PING_V1, (request) => this.ping(request), { queue: this.options.serviceName });
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const handler = (method as Handler).bind(instance);
        const request = this.reflector.get<AnyRequestContract | undefined>(REQUEST_HANDLER, method);
        if (request) this.bus.serve(request, handler as never, { queue: this.options.serviceName });
        const message = this.reflector.get<MessageHandlerMetadata | undefined>(MESSAGE_HANDLER, method);
        if (message) {
          await this.bus.consume(message.contract, {
            ...message.options,
            durable: message.options.durable ?? this.options.serviceName,
            handler: handler as never,
          });
        }
      }
    }
    // Subscriptions are sent to the server asynchronously; once flushed, the service really answers.
    await this.bus.connection.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
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

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: MessageBus,
          useFactory: () =>
            MessageBus.connect({
              servers: options.natsUrl,
              name: `mailkeep-${options.serviceName}`,
              logger: options.logger,
              ...(options.replicas !== undefined && { replicas: options.replicas }),
            }),
        },
        MessagingExplorer,
      ],
      exports: [MessageBus],
    };
  }
}
