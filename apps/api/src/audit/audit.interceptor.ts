import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';

import { toProblem } from '../http/problem-details.js';
import { principalOf, requestIdOf, routeParam } from '../http/request-context.js';
import { AUDITED, type AuditedMetadata } from './audited.decorator.js';
import { AuditService } from './audit.service.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Writes one audit entry for every write request that passed authentication, with its outcome:
 * `success`, `denied` (403) or `failed` (any other error). Refusals by the guard are recorded
 * there, before this interceptor runs.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!WRITE_METHODS.has(request.method)) return next.handle();
    const audited = this.reflector.get<AuditedMetadata | undefined>(AUDITED, context.getHandler()) ?? {
      action: `${request.method} ${routePath(request)}`,
      objectType: 'route',
    };
    return next.handle().pipe(
      mergeMap((result: unknown) => {
        const status = context.switchToHttp().getResponse<Response>().statusCode;
        return from(
          this.write(request, audited, objectIdOf(result, request), 'success', status).then(() => result),
        );
      }),
      catchError((error: unknown) => {
        const status = toProblem(error, '').status;
        const outcome = status === 403 ? 'denied' : 'failed';
        return from(this.write(request, audited, objectIdOf(undefined, request), outcome, status)).pipe(
          mergeMap(() => throwError(() => error)),
        );
      }),
    );
  }

  private write(
    request: Request,
    audited: AuditedMetadata,
    objectId: string | null,
    outcome: 'success' | 'denied' | 'failed',
    status: number,
  ): Promise<void> {
    const principal = principalOf(request);
    return this.audit.record({
      actorApiKeyId: principal?.apiKeyId ?? null,
      actorRole: principal?.role ?? null,
      tenantId: tenantIdOf(request, audited, objectId) ?? principal?.tenantId ?? null,
      action: audited.action,
      objectType: audited.objectType,
      objectId,
      outcome,
      status,
      requestId: requestIdOf(request),
    });
  }
}

function routePath(request: Request): string {
  const route = request.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : (request.originalUrl.split('?')[0] ?? '');
}

/** The object a write touched: the id in the response, else the last id in the path. */
function objectIdOf(result: unknown, request: Request): string | null {
  if (result && typeof result === 'object' && 'id' in result && typeof result.id === 'string')
    return result.id;
  return routeParam(request, 'id') ?? routeParam(request, 'tenantId') ?? null;
}

/** The tenant whose chain records the entry: the path's tenant, or the tenant being created. */
function tenantIdOf(request: Request, audited: AuditedMetadata, objectId: string | null): string | null {
  const tenantId = routeParam(request, 'tenantId');
  if (tenantId) return tenantId.toLowerCase();
  if (audited.objectType === 'tenant' && objectId) return objectId;
  return null;
}
