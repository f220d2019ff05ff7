import { createConnectorMetrics } from '@mailkeep/connector-kit';
import { createLogger, createMetrics, type Metrics } from '@mailkeep/observability';
import { exportConsumerLag } from '@mailkeep/runtime';

import { httpMetricsMiddleware } from '../../apps/api/src/metrics/http-metrics.js';
import { RunEventsHub } from '../../apps/api/src/runs/run-events.hub.js';
import { IngestBatcher } from '../../apps/catalog/src/ingest/ingest-batcher.js';
import { IntegrityRunner } from '../../apps/catalog/src/integrity/integrity-runner.js';

export interface ExportedMetric {
  readonly name: string;
  readonly type: string;
  readonly labels: readonly string[];
  /** The services that export it. */
  readonly services: readonly string[];
}

/**
 * The Prometheus metrics the services export, registered by the services' own code (the same
 * functions and constructors their modules call) into one registry per service, then read back
 * without collecting: no NATS, database or blob store is touched. The metrics table, the Grafana
 * dashboard and the alert rules are checked against this.
 */
export function exportedMetrics(): ExportedMetric[] {
  const logger = createLogger({ service: 'metrics-inventory', level: 'fatal' });
  const context = (metrics: Metrics) => ({ name: 'inventory', config: {}, logger, metrics });
  const services: Record<string, (metrics: Metrics) => void> = {
    api: (metrics) => {
      httpMetricsMiddleware(metrics, logger);
      new RunEventsHub({} as never, metrics);
    },
    scheduler: (metrics) => exportConsumerLag(metrics, {} as never, []),
    catalog: (metrics) => {
      new IngestBatcher({} as never, context(metrics));
      new IntegrityRunner({} as never, {} as never, context(metrics));
      exportConsumerLag(metrics, {} as never, []);
    },
    // Every connector pool registers the kit's series, labelled with its type.
    connector: (metrics) => createConnectorMetrics(metrics, 'imap'),
  };
  const found = new Map<string, ExportedMetric>();
  for (const [service, register] of Object.entries(services)) {
    const metrics = createMetrics({ service });
    register(metrics);
    for (const metric of metrics.registry.getMetricsAsArray()) {
      const { name, type, labelNames } = metric as unknown as {
        name: string;
        type: string;
        labelNames?: string[];
      };
      const known = found.get(name);
      found.set(name, {
        name,
        type,
        labels: ['service', ...(labelNames ?? [])],
        services: [...(known?.services ?? []), service],
      });
    }
  }
  return [...found.values()];
}
