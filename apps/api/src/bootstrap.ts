import 'reflect-metadata';

import type { AddressInfo } from 'node:net';

import { ConfigError, loadConfig } from '@mailkeep/config';
import { MessageBus, MessageBusServer, useBusEnhancers } from '@mailkeep/messaging';
import { createLogger, createMetrics, httpTracingMiddleware, NestLogger } from '@mailkeep/observability';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { ApiEnv } from './api.env.js';
import { ApiModule } from './api.module.js';
import { requestIdMiddleware } from './http/request-id.middleware.js';
import { InputGuardPipe } from './http/input-guard.pipe.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { httpMetricsMiddleware } from './metrics/http-metrics.js';
import { setUpOpenApi } from './openapi/openapi.js';

/** JSON bodies above 1 MB are refused: no JSON route needs more. */
const JSON_BODY_LIMIT = '1mb';
/**
 * The mailbox CSV import (`text/csv`) is the one large body: 100,000 rows of typical addresses
 * are about 10 MB, so 20 MB takes a whole large directory in one request with room to spare.
 */
const CSV_BODY_LIMIT = '20mb';

export interface RunningApi {
  readonly url: string;
  close(): Promise<void>;
}

export async function startApi(env: Record<string, string | undefined> = process.env): Promise<RunningApi> {
  const config = loadConfig(ApiEnv, env);
  const logger = createLogger({ service: 'api', level: config.MAILKEEP_LOG_LEVEL });
  const metrics = createMetrics({ service: 'api' });
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.forRoot({
      config,
      logger,
      metrics,
      // The one place a secret is written: a generated bootstrap key, on the terminal, once.
      announce: (text) => process.stdout.write(`${text}\n`),
    }),
    { logger: new NestLogger(logger), bodyParser: false },
  );
  // Request id, trace and access log first, so even a body the parser rejects is identified.
  app.use(requestIdMiddleware);
  app.use(httpTracingMiddleware());
  app.use(httpMetricsMiddleware(metrics, logger));
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useBodyParser('text', { type: 'text/csv', limit: CSV_BODY_LIMIT });
  app.setGlobalPrefix('api/v1', { exclude: ['metrics'] });
  // The guard first: class-transformer must never see hostile nesting or prototype keys.
  app.useGlobalPipes(new InputGuardPipe(), createValidationPipe());
  app.enableShutdownHooks();
  setUpOpenApi(app);
  // A hybrid app: the api answers its service ping on the bus like every service does.
  const bus = app.connectMicroservice({
    strategy: new MessageBusServer(app.get(MessageBus), { serviceName: 'api' }),
  });
  useBusEnhancers(bus, logger);
  await app.startAllMicroservices();
  await app.listen(config.MAILKEEP_HTTP_PORT, config.MAILKEEP_HTTP_HOST);
  // What the socket is bound to, not what was asked for: the log line an operator trusts.
  const bound = app.getHttpServer().address() as AddressInfo;
  const url = listeningUrl(bound);
  logger.info('api listening', {
    url,
    address: bound.address,
    port: bound.port,
    ...(isWildcard(bound.address) && { reachableFrom: 'all interfaces' }),
  });
  return { url, close: () => app.close() };
}

const isWildcard = (address: string) => address === '0.0.0.0' || address === '::';

/** A URL this machine can call the api at: a wildcard bind is reached through loopback. */
function listeningUrl({ address, family, port }: AddressInfo): string {
  if (address === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (address === '::') return `http://[::1]:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/** Runs the api as a process: a configuration error stops it with the variable named, nothing else. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    if (argv[0] === 'migrate') {
      const { migrateApi } = await import('./database/migrate-command.js');
      await migrateApi();
      return;
    }
    await startApi();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`mailkeep api: invalid configuration\n${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
