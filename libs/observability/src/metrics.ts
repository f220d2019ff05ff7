import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  collectDefaultMetrics,
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Metric,
  Registry,
} from 'prom-client';

/** A metric's configuration without `registers`: metrics always go to the service's registry. */
export type MetricConfig<C> = Omit<C, 'registers'>;

export interface Metrics {
  readonly registry: Registry;
  counter<L extends string = string>(config: MetricConfig<CounterConfiguration<L>>): Counter<L>;
  histogram<L extends string = string>(config: MetricConfig<HistogramConfiguration<L>>): Histogram<L>;
  gauge<L extends string = string>(config: MetricConfig<GaugeConfiguration<L>>): Gauge<L>;
}

/**
 * A Prometheus registry for one service: process metrics (CPU, memory, event loop, GC) plus the
 * service's own, every series labelled `service`. A registry per service rather than prom-client's
 * global one, so that services sharing a process (the all-in-one launcher) keep separate series.
 *
 * Asking twice for a metric of the same name returns the first one (modules may be instantiated
 * more than once); asking for a different kind under an existing name throws.
 */
export function createMetrics(options: { service: string }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });

  function register<M extends Metric>(
    kind: abstract new (...args: never[]) => M,
    name: string,
    create: () => M,
  ): M {
    const existing = registry.getSingleMetric(name);
    if (existing === undefined) return create();
    if (existing instanceof kind) return existing;
    throw new TypeError(`Metric ${name} is already registered as another kind`);
  }

  return {
    registry,
    counter: (config) =>
      register(Counter, config.name, () => new Counter({ ...config, registers: [registry] })),
    histogram: (config) =>
      register(Histogram, config.name, () => new Histogram({ ...config, registers: [registry] })),
    gauge: (config) => register(Gauge, config.name, () => new Gauge({ ...config, registers: [registry] })),
  };
}

/** The Prometheus text exposition of `registry`, with its content type. */
export async function renderMetrics(registry: Registry): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

export interface MetricsServer {
  /** The port actually listened on (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A bare HTTP server answering `GET /metrics`, for services running as their own process (the api
 * serves /metrics through its HTTP app instead). Port 0 picks a free port. Binds every interface
 * by default: Prometheus scrapes from another host. It also answers the orchestrator's probes:
 * `/health/live` (the process answers) and `/health/ready` (200 while `ready()` holds, else 503),
 * the paths the api serves under /api/v1.
 */
export async function startMetricsServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  /** Whether the service can do its work now (e.g. its NATS connection is open). Default: always. */
  ready?: () => boolean;
}): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/health/live' || path === '/health/ready') {
      const up = path === '/health/live' || (options.ready?.() ?? true);
      res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: up ? (path === '/health/live' ? 'live' : 'ready') : 'not ready' }));
      return;
    }
    void answer(options.registry, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Prometheus keeps connections alive between scrapes; without this close() waits for them.
        server.closeAllConnections();
      }),
  };
}

async function answer(registry: Registry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method Not Allowed\n');
    return;
  }
  try {
    const { contentType, body } = await renderMetrics(registry);
    res.writeHead(200, { 'content-type': contentType }).end(req.method === 'HEAD' ? undefined : body);
  } catch {
    // A collector failed (prom-client rejects the whole scrape); Prometheus records the 500 as a failed scrape.
    res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
  }
}
