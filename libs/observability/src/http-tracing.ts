import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { extractTraceContext, tracer } from './tracing.js';

/** What Express adds to a request, read structurally so this library needs no Express types. */
type RoutedRequest = IncomingMessage & { originalUrl?: string; route?: { path?: unknown } };

/** An Express-compatible middleware (also usable with NestJS `app.use`). */
export type HttpMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Opens a SERVER span per HTTP request, continuing the caller's trace when the request carries a
 * `traceparent` header, and runs the rest of the pipeline inside it, so everything the request
 * causes (NATS requests included) belongs to that trace. Register it before any other middleware.
 */
export function httpTracingMiddleware(): HttpMiddleware {
  return (req, res, next) => {
    const method = req.method ?? 'GET';
    const parent = extractTraceContext((key) => {
      const value = req.headers[key];
      return Array.isArray(value) ? value[0] : value;
    });
    // Only the path: query strings may carry tokens and would make span names unbounded.
    const path = ((req as RoutedRequest).originalUrl ?? req.url ?? '/').split('?', 1)[0] ?? '/';
    // Named by method only until the route is known: the raw path would make one name per id.
    const span = tracer().startSpan(
      `HTTP ${method}`,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path } },
      parent,
    );

    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      res.off('finish', end);
      res.off('close', end);
      const route = (req as RoutedRequest).route?.path;
      if (typeof route === 'string') {
        span.updateName(`${method} ${route}`);
        span.setAttribute(ATTR_HTTP_ROUTE, route);
      }
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      // Server spans fail on 5xx only: a 4xx is the caller's mistake, not this service's.
      if (res.statusCode >= 500)
        span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
      else if (!res.writableFinished) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: 'connection closed before the response was sent',
        });
      }
      span.end();
    };
    // `finish` when the response was sent; `close` alone when the client went away first.
    res.once('finish', end);
    res.once('close', end);

    context.with(trace.setSpan(parent, span), next);
  };
}
