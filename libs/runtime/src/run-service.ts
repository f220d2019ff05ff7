import 'reflect-metadata';

import {
  ConfigError,
  type DatabaseEnv,
  type EnvClass,
  loadConfig,
  type NatsEnv,
  type RuntimeEnv,
} from '@mailkeep/config';
import type { StreamDefinition } from '@mailkeep/contracts';
import { MessageBus, MessageBusServer, MessagingModule, useBusEnhancers } from '@mailkeep/messaging';

import { exportConsumerLag, type WatchedConsumer } from './consumer-lag.js';
import {
  createLogger,
  createMetrics,
  type Logger,
  type Metrics,
  NestLogger,
  startMetricsServer,
} from '@mailkeep/observability';
import { migrate, PersistenceModule, type ServiceSchema } from '@mailkeep/persistence';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** Injection token of the running service's {@link ServiceContext}. */
export const SERVICE_CONTEXT = Symbol('mailkeep:service-context');

/** What every service gets from the runtime: its validated configuration, logger and metrics. */
export interface ServiceContext<E> {
  readonly name: string;
  readonly config: Readonly<E>;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

type BaseEnv = RuntimeEnv & NatsEnv;

export interface ServiceDefinition<E extends BaseEnv> {
  /** Queue group, durable-consumer name, logger `service`, `mailkeep-<name>` connection names. */
  readonly name: string;
  /** The service's env class: `composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv, …)`. */
  readonly env: EnvClass<E>;
  /** The service's own PostgreSQL schema; needs MAILKEEP_DATABASE_URL in `env`. */
  readonly schema?: ServiceSchema;
  /** Streams the service publishes to or consumes, declared at start-up. */
  readonly streams?: readonly StreamDefinition[];
  /** Durable consumers whose queue lag the service exports (mailkeep_consumer_*_messages). */
  readonly watchedConsumers?: readonly WatchedConsumer[];
  /** The service's own module (handlers, services, repositories). */
  readonly module: (context: ServiceContext<E>) => DynamicModule;
}

@Global()
@Module({})
class ServiceContextModule {
  static forRoot(context: ServiceContext<unknown>): DynamicModule {
    return {
      module: ServiceContextModule,
      providers: [{ provide: SERVICE_CONTEXT, useValue: context }],
      exports: [SERVICE_CONTEXT],
    };
  }
}

/**
 * Runs a NATS service as a process: validated configuration (a bad value stops it, naming the
 * variable), JSON logs, NATS with its handlers, its schema migrated under the advisory lock,
 * metrics when MAILKEEP_METRICS_PORT is set, clean shutdown on SIGINT/SIGTERM.
 * `<entry> migrate` applies the migrations and exits.
 */
export interface RunningService {
  /** Stops the service as SIGTERM would: handlers drain, the pool and NATS close. */
  close(): Promise<void>;
}

export async function runService<E extends BaseEnv>(
  definition: ServiceDefinition<E>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<RunningService | undefined> {
  let config: Readonly<E>;
  try {
    config = loadConfig(definition.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`mailkeep ${definition.name}: invalid configuration\n${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ service: definition.name, level: config.MAILKEEP_LOG_LEVEL });
  const databaseUrl = (config as Partial<DatabaseEnv>).MAILKEEP_DATABASE_URL;
  if (definition.schema && !databaseUrl)
    throw new Error(`${definition.name}: a schema needs DatabaseEnv in env`);

  if (argv[0] === 'migrate') {
    if (!definition.schema || !databaseUrl) return undefined;
    const applied = await migrate(databaseUrl, definition.schema);
    logger.info('migrations applied', { schema: definition.schema.schema, applied });
    return undefined;
  }

  const context: ServiceContext<E> = {
    name: definition.name,
    config,
    logger,
    metrics: createMetrics({ service: definition.name }),
  };
  // Connected before the app: the transport strategy is handed to NestFactory with its bus.
  const bus = await MessageBus.connect({
    servers: config.MAILKEEP_NATS_URL,
    name: `mailkeep-${definition.name}`,
    logger,
    replicas: config.MAILKEEP_NATS_REPLICAS,
  });
  const imports: DynamicModule[] = [
    ServiceContextModule.forRoot(context),
    MessagingModule.forRoot({
      serviceName: definition.name,
      bus,
      logger,
      streams: definition.streams ?? [],
    }),
  ];
  if (definition.schema && databaseUrl) {
    const schema = definition.schema;
    imports.push(
      PersistenceModule.forRoot({
        url: databaseUrl,
        service: schema,
        applicationName: `mailkeep-${definition.name}`,
        onMigrated: (applied) => {
          if (applied.length > 0) logger.info('migrations applied', { schema: schema.schema, applied });
        },
      }),
    );
  }
  imports.push(definition.module(context));

  @Module({ imports })
  class ServiceRootModule {}

  const app = await NestFactory.createMicroservice(ServiceRootModule, {
    strategy: new MessageBusServer(bus, { serviceName: definition.name }),
    logger: new NestLogger(logger),
  });
  useBusEnhancers(app, logger);
  app.enableShutdownHooks();
  try {
    // Initialises the modules (migrations, lifecycle hooks), then serves the handlers.
    await app.listen();
  } catch (error) {
    await app.close().catch(() => undefined);
    await bus.close();
    throw error;
  }
  if (definition.watchedConsumers?.length)
    exportConsumerLag(context.metrics, bus, definition.watchedConsumers);
  const metricsServer =
    config.MAILKEEP_METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer({
          port: config.MAILKEEP_METRICS_PORT,
          registry: context.metrics.registry,
          ready: () => !bus.connection.isClosed(),
        });
  logger.info('service ready', { service: definition.name });
  return {
    close: async () => {
      await metricsServer?.close();
      await app.close();
    },
  };
}
