import type { StreamDefinition } from '@mailkeep/contracts';
import type { Logger } from '@mailkeep/observability';
import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  type INestMicroservice,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { MessageBus } from '../core/message-bus.js';
import { ContractErrorFilter } from './contract-error.filter.js';
import { TracingInterceptor } from './tracing.interceptor.js';

export const MESSAGING_OPTIONS = Symbol('mailkeep:messaging-options');

export interface MessagingModuleOptions {
  /** The service's name: `mailkeep-<name>` is its NATS connection's name. */
  readonly serviceName: string;
  readonly logger: Logger;
  /**
   * The bus, connected by the caller (runService: the transport strategy needs it before the
   * module exists). Without it the module connects one to `natsUrl`.
   */
  readonly bus?: MessageBus;
  readonly natsUrl?: string | readonly string[];
  /** MAILKEEP_NATS_REPLICAS: servers each stream and KV bucket is kept on (default 1). */
  readonly replicas?: number;
  /** Streams to declare at start-up (those of consumed contracts are declared by their consumer). */
  readonly streams?: readonly StreamDefinition[];
}

/** Declares the service's streams at bootstrap and closes the bus after everything else stopped. */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly bus: MessageBus,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all((this.options.streams ?? []).map((stream) => this.bus.ensureStream(stream)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

/**
 * Provides the MessageBus (the typed client every service sends with). Handlers are served by
 * the transport strategy, MessageBusServer, not by this module.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const { bus, natsUrl } = options;
    if (!bus && natsUrl === undefined) throw new Error('MessagingModule needs a bus or a natsUrl');
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        bus
          ? { provide: MessageBus, useValue: bus }
          : {
              provide: MessageBus,
              useFactory: () =>
                MessageBus.connect({
                  servers: natsUrl ?? [],
                  name: `mailkeep-${options.serviceName}`,
                  logger: options.logger,
                  ...(options.replicas !== undefined && { replicas: options.replicas }),
                }),
            },
        MessagingLifecycle,
      ],
      exports: [MessageBus],
    };
  }
}

/**
 * The global enhancers of a microservice on the bus: a span per handled message and coded errors
 * across the bus. Applied to the microservice only: a hybrid app's HTTP routes keep their own.
 */
export function useBusEnhancers(app: INestMicroservice, logger: Logger): INestMicroservice {
  return app
    .useGlobalInterceptors(new TracingInterceptor())
    .useGlobalFilters(new ContractErrorFilter(logger));
}
