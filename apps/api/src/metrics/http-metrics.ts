import type { Metrics } from '@mailkeep/observability';
import type { NextFunction, Request, Response } from 'express';

import type { Logger } from '@mailkeep/observability';
import { requestIdOf } from '../http/request-context.js';

/**
 * Counts and times every request by route template (never the raw path, whose ids would explode
 * the label set), and writes one access-log line without headers (no Authorization ever).
 */
export function httpMetricsMiddleware(metrics: Metrics, logger: Logger) {
  const requests = metrics.counter({
    name: 'mailkeep_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
  });
  const duration = metrics.histogram({
    name: 'mailkeep_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    // From 5 ms to 10 s: API calls are mostly quick; imports and test connections are slower.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(request);
      requests.inc({ method: request.method, route, status: String(response.statusCode) });
      duration.observe({ method: request.method, route }, seconds);
      logger.info('http request', {
        requestId: requestIdOf(request),
        method: request.method,
        route,
        status: response.statusCode,
        durationMs: Math.round(seconds * 1000),
      });
    });
    next();
  };
}

function routeOf(request: Request): string {
  const route = request.route as { path?: unknown } | undefined;
  const path = typeof route?.path === 'string' ? route.path : undefined;
  return path ? `${request.baseUrl}${path}` : 'unmatched';
}
