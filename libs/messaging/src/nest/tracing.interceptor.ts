import { recordError, tracer } from '@mailkeep/observability';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { context as otelContext, SpanKind, trace } from '@opentelemetry/api';
import { type Observable, tap } from 'rxjs';

import { busContextOf, isDelivery } from './bus-context.js';

/**
 * One span per handled message, child of the sender's span carried in the headers: `<subject>
 * process`, SERVER for a request, CONSUMER for a command or event. The handler runs inside it, so
 * what it sends on (requests, publishes) and logs belongs to the same trace: Nest binds the
 * handler's call to the async context `next.handle()` is called in. A failure is recorded on the
 * span before the exception filter maps it. (Not `withSpan`: its promise around the observable
 * costs a few µs per message, decision 0023.)
 */
export class TracingInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const context = busContextOf(execution);
    if (!context) return next.handle();
    const kind = isDelivery(context) ? SpanKind.CONSUMER : SpanKind.SERVER;
    const span = tracer().startSpan(`${context.subject} process`, { kind }, context.traceParent);
    const handled = otelContext.with(trace.setSpan(context.traceParent, span), () => next.handle());
    return handled.pipe(
      tap({
        error: (error: unknown) => recordError(span, error),
        finalize: () => span.end(),
      }),
    );
  }
}
