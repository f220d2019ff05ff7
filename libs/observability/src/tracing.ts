import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { redactString } from './redact.js';

/** The instrumentation scope of every span this library and its callers create. */
const TRACER_NAME = '@mailkeep/observability';

/*
 * The W3C propagator is used directly (not the global `propagation` API) so that trace headers are
 * written and read the same way whether or not telemetry was started: a library test without an
 * SDK still carries `traceparent` through. `startTelemetry` registers the same propagator globally.
 */
const propagator = new W3CTraceContextPropagator();

export function tracer(): Tracer {
  // Asked for on each use: the global provider is swapped in by startTelemetry, possibly after import.
  return trace.getTracer(TRACER_NAME);
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent context (e.g. from `extractTraceContext`); the active context when omitted. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new active span: work it awaits (and logs it writes) belong to the span.
 * An exception is recorded, sets the error status and is rethrown; the span always ends.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent = context.active(), ...spanOptions } = options;
  return tracer().startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records `error` on `span` (credentials in its text removed) and marks the span failed. */
export function recordError(span: Span, error: unknown): void {
  const message = redactString(error instanceof Error ? error.message : String(error));
  span.recordException(
    error instanceof Error
      ? { name: error.name, message, ...(error.stack !== undefined && { stack: redactString(error.stack) }) }
      : { message },
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** Writes `traceparent` (and `tracestate` when there is one) of the active context through `set`. */
export function injectTraceHeaders(set: (key: string, value: string) => void): void {
  propagator.inject(context.active(), undefined, { set: (_carrier, key, value) => set(key, value) });
}

/** The context carried by incoming headers, to use as `parent`; the root context when they carry none. */
export function extractTraceContext(get: (key: string) => string | undefined): Context {
  return propagator.extract(ROOT_CONTEXT, undefined, {
    get: (_carrier, key) => get(key),
    // The W3C propagator only asks for its two headers by name; it never lists keys.
    keys: () => [],
  });
}

/** The ids of the active span, for log lines and error reports; empty outside a (valid) span. */
export function currentTraceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
