/**
 * @mailkeep/observability: OpenTelemetry tracing, Prometheus metrics and redacting JSON logs.
 */
export { startTelemetry, type Telemetry, type TelemetryOptions } from './telemetry.js';
export {
  currentTraceIds,
  extractTraceContext,
  injectTraceHeaders,
  recordError,
  tracer,
  withSpan,
  type SpanOptions,
} from './tracing.js';
export { httpTracingMiddleware, type HttpMiddleware } from './http-tracing.js';
export {
  createLogger,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  type LogMethod,
} from './logger.js';
export { NestLogger } from './nest-logger.js';
export { isSensitiveKey, redact, redactString, REDACTED } from './redact.js';
export {
  createMetrics,
  renderMetrics,
  startMetricsServer,
  type MetricConfig,
  type Metrics,
  type MetricsServer,
} from './metrics.js';
