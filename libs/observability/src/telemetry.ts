import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetector, hostDetector, osDetector, serviceInstanceIdDetector } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';

export interface TelemetryOptions {
  /** `service.name` of every span: the app name (`api`, `catalog`, `connector-imap`, …). */
  serviceName: string;
  /** Base URL of an OTLP/HTTP collector (MAILKEEP_OTLP_ENDPOINT); `/v1/traces` is appended. */
  otlpEndpoint?: string;
  /** Extra processors, e.g. a SimpleSpanProcessor over an InMemorySpanExporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  /** Flushes pending spans and unregisters the SDK; call it last on shutdown. Idempotent. */
  shutdown(): Promise<void>;
}

// On globalThis rather than in module scope: if two copies of this library end up loaded (a
// bundled dist and a source alias), they must still share the one SDK the OTel API allows.
const ACTIVE = Symbol.for('@mailkeep/observability.telemetry');
type Holder = { [ACTIVE]?: Telemetry };

/**
 * Starts OpenTelemetry tracing for this process. Call it once, before anything else is loaded
 * (see the README's `instrument.ts`); later calls return the first handle and ignore their options.
 *
 * Spans are always recorded, with or without a collector: an AsyncLocalStorage context manager
 * makes the active span follow async work, the W3C propagator carries it over NATS headers, and
 * real trace ids appear in every log line. They are exported only when `otlpEndpoint` is set.
 * No auto-instrumentation: ESM import hooks are fragile; spans are created explicitly.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const holder = globalThis as Holder;
  const existing = holder[ACTIVE];
  if (existing !== undefined) return existing;

  const spanProcessors = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint !== undefined) {
    // Batched: exporting must never sit on a request's path. Batch sizes and delays are the SDK's
    // (OTEL_BSP_* can tune them without a code change).
    spanProcessors.push(
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint) }) }),
    );
  }
  if (spanProcessors.length === 0) {
    // NodeSDK installs no tracer provider without a processor, and then every span is a no-op with
    // an invalid id: nothing to correlate logs with, nothing to propagate. Record, export nowhere.
    spanProcessors.push(new NoopSpanProcessor());
  }

  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    contextManager: new AsyncLocalStorageContextManager(),
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors,
    instrumentations: [],
    // Metrics are Prometheus (createMetrics), logs are JSON lines: an empty list stops NodeSDK from
    // defaulting to OTLP exporters for them.
    metricReaders: [],
    logRecordProcessors: [],
    // Not the process detector: it records the command line, which may carry credentials.
    resourceDetectors: [envDetector, hostDetector, osDetector, serviceInstanceIdDetector],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  const handle: Telemetry = {
    shutdown: () =>
      (stopped ??= (async () => {
        try {
          await sdk.shutdown();
        } finally {
          // NodeSDK leaves its globals registered; clearing them lets a later start (tests, a
          // restart inside one process) register again instead of being refused by the API.
          trace.disable();
          context.disable();
          propagation.disable();
          if (holder[ACTIVE] === handle) delete holder[ACTIVE];
        }
      })()),
  };
  holder[ACTIVE] = handle;
  return handle;
}

/** The OTLP/HTTP traces URL for a collector base URL (the OTEL_EXPORTER_OTLP_ENDPOINT convention). */
export function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}
