import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  currentTraceIds,
  extractTraceContext,
  httpTracingMiddleware,
  injectTraceHeaders,
  startTelemetry,
  type Telemetry,
  withSpan,
} from './index.js';
import { tracesUrl } from './telemetry.js';

const exporter = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor({ exporter });
let telemetry: Telemetry;

beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'telemetry-test', spanProcessors: [processor] });
});
afterAll(async () => {
  await telemetry.shutdown();
});
beforeEach(() => {
  exporter.reset();
});

/** Exports wait for asynchronous resource attributes (host detector): flush before looking. */
async function finished(name: string) {
  await processor.forceFlush();
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (span === undefined) throw new Error(`no finished span ${name}`);
  return span;
}

describe('startTelemetry', () => {
  it('is idempotent', () => {
    expect(startTelemetry({ serviceName: 'other' })).toBe(telemetry);
  });

  it('names the service and keeps the active span across awaits', async () => {
    await withSpan('outer', {}, async () => {
      const before = currentTraceIds();
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentTraceIds()).toEqual(before);
    });
    expect((await finished('outer')).resource.attributes['service.name']).toBe('telemetry-test');
  });

  it('builds the OTLP traces URL from a collector base URL', () => {
    expect(tracesUrl('http://otel:4318')).toBe('http://otel:4318/v1/traces');
    expect(tracesUrl('http://otel:4318/')).toBe('http://otel:4318/v1/traces');
    expect(tracesUrl('https://otel/v1/traces')).toBe('https://otel/v1/traces');
  });
});

describe('withSpan', () => {
  it('returns the result, sets kind and attributes, and ends the span', async () => {
    const result = await withSpan(
      'ok',
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats' } },
      () => Promise.resolve(42),
    );
    expect(result).toBe(42);
    const span = await finished('ok');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes['messaging.system']).toBe('nats');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records an exception, sets the error status, rethrows and still ends the span', async () => {
    await expect(
      withSpan('fails', {}, () => Promise.reject(new Error('cannot reach imap://u:SUPERSECRET@mail'))),
    ).rejects.toThrow('cannot reach');
    const span = await finished('fails');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(JSON.stringify(span.events)).not.toContain('SUPERSECRET');
    expect(span.status.message).not.toContain('SUPERSECRET');
  });

  it('nests under the active span', async () => {
    await withSpan('parent', {}, () => withSpan('child', {}, () => Promise.resolve()));
    expect((await finished('child')).parentSpanContext?.spanId).toBe(
      (await finished('parent')).spanContext().spanId,
    );
  });
});

describe('trace propagation through headers', () => {
  it('continues the sender trace in the receiver', async () => {
    const headers = new Map<string, string>();
    await withSpan('publish', { kind: SpanKind.PRODUCER }, () => {
      injectTraceHeaders((key, value) => headers.set(key, value));
      return Promise.resolve();
    });
    expect([...headers.keys()]).toEqual(['traceparent']);

    // The receiver: another async chain with nothing active, only the headers.
    await context.with(context.active(), () =>
      withSpan(
        'handle',
        { kind: SpanKind.CONSUMER, parent: extractTraceContext((key) => headers.get(key)) },
        () => Promise.resolve(),
      ),
    );
    const sender = await finished('publish');
    const receiver = await finished('handle');
    expect(receiver.spanContext().traceId).toBe(sender.spanContext().traceId);
    expect(receiver.parentSpanContext?.spanId).toBe(sender.spanContext().spanId);
    expect(headers.get('traceparent')).toBe(
      `00-${sender.spanContext().traceId}-${sender.spanContext().spanId}-01`,
    );
  });

  it('writes nothing outside a span and extracts nothing from empty headers', () => {
    const headers = new Map<string, string>();
    injectTraceHeaders((key, value) => headers.set(key, value));
    expect(headers.size).toBe(0);
    expect(trace.getSpanContext(extractTraceContext(() => undefined))).toBeUndefined();
    expect(currentTraceIds()).toEqual({});
  });
});

describe('httpTracingMiddleware', () => {
  async function serve(): Promise<{ url: string; close: () => Promise<void>; seen: { traceId?: string }[] }> {
    const seen: { traceId?: string }[] = [];
    const app = express();
    app.use(httpTracingMiddleware());
    app.get('/api/v1/mailboxes/:id', async (_req, res) => {
      // Downstream async work sees the request's span.
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(currentTraceIds());
      res.json({ ok: true });
    });
    app.get('/boom', (_req, res) => {
      res.status(503).end();
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      seen,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  async function get(url: string, headers: Record<string, string> = {}): Promise<number> {
    const req = request(url, { headers });
    req.end();
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    res.resume();
    await once(res, 'end');
    return res.statusCode ?? 0;
  }

  /** Spans end on the response's `finish`, which may come after the client got the last byte. */
  async function serverSpan() {
    for (
      let deadline = Date.now() + 2_000;
      Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 5))
    ) {
      await processor.forceFlush();
      const span = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER);
      if (span !== undefined) return span;
    }
    throw new Error('no server span within 2s');
  }

  it('continues the trace of an incoming traceparent and names the span after the route', async () => {
    const server = await serve();
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const status = await get(`${server.url}/api/v1/mailboxes/42?token=abc`, {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      });
      expect(status).toBe(200);
      const span = await serverSpan();
      expect(span.spanContext().traceId).toBe(traceId);
      expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(span.name).toBe('GET /api/v1/mailboxes/:id');
      expect(span.attributes).toMatchObject({
        'http.request.method': 'GET',
        'url.path': '/api/v1/mailboxes/42',
        'http.route': '/api/v1/mailboxes/:id',
        'http.response.status_code': 200,
      });
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(server.seen).toEqual([{ traceId, spanId: span.spanContext().spanId }]);
    } finally {
      await server.close();
    }
  });

  it('starts a new trace without traceparent and marks 5xx as errors', async () => {
    const server = await serve();
    try {
      expect(await get(`${server.url}/boom`)).toBe(503);
      const span = await serverSpan();
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.attributes['http.response.status_code']).toBe(503);
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
    } finally {
      await server.close();
    }
  });
});
