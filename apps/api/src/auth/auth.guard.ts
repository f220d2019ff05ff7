import { ContractError, isUuid } from '@mailkeep/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';

import { bearerToken, displayPrefix, hashApiKey } from '../api-keys/api-key-codec.js';
import { ApiKeysRepository } from '../api-keys/api-keys.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { type Principal, requestIdOf, routeParam, setPrincipal } from '../http/request-context.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { ACCESS_RULE, type AccessRule } from './access.decorator.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';

/**
 * Authenticates the bearer key and applies the route's access rule. Every refusal is written to
 * the audit log before the error leaves (SPEC T3). Routes without a rule are refused: forgetting
 * to declare access must never open a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysRepository,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
    private readonly limiter: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule === 'public') return true;
    const request = context.switchToHttp().getRequest<Request>();

    const principal = await this.authenticate(request, context.switchToHttp().getResponse<Response>());
    setPrincipal(request, principal);
    if (rule === undefined)
      throw await this.deny(request, principal, 403, 'This route declares no access rule');
    if (rule === 'authenticated') return true;
    if (rule === 'operator') {
      if (principal.role !== 'operator')
        throw await this.deny(request, principal, 403, 'Only operators may do this');
      return true;
    }
    return this.authorizeTenant(request, principal, rule);
  }

  /**
   * A client that failed too often is answered 429 before its key is even looked at (no more
   * guesses); a key prefix that failed too often is throttled only for wrong keys, so whoever
   * holds the real key is never locked out by someone guessing at it.
   */
  private async authenticate(request: Request, response: Response): Promise<Principal> {
    const token = bearerToken(request.headers.authorization);
    const client = `client ${request.socket.remoteAddress ?? 'unknown'}`;
    const keyPrefix = token === undefined ? undefined : `key ${displayPrefix(token)}`;
    const clientWait = this.limiter.retryAfterSeconds(client);
    if (clientWait > 0) throw await this.throttled(request, response, client, clientWait);
    const key = token ? await this.keys.findActiveByHash(hashApiKey(token)) : null;
    if (!key) {
      const keyWait = keyPrefix === undefined ? 0 : this.limiter.retryAfterSeconds(keyPrefix);
      this.limiter.fail(keyPrefix === undefined ? [client] : [client, keyPrefix]);
      if (keyPrefix !== undefined && keyWait > 0)
        throw await this.throttled(request, response, keyPrefix, keyWait);
      await this.recordDenial(request, null, 401);
      throw new ContractError(
        'AUTH_FAILED',
        token ? 'The API key is not valid' : 'An API key is required (Authorization: Bearer <key>)',
        {
          reason: 'unauthenticated',
        },
      );
    }
    return { apiKeyId: key.id, role: key.role, tenantId: key.tenantId };
  }

  /** 429 with Retry-After; the audit log gets one entry a minute per throttled subject, not one per try. */
  private async throttled(
    request: Request,
    response: Response,
    subject: string,
    retryAfterSeconds: number,
  ): Promise<ContractError> {
    if (this.limiter.shouldAuditThrottle(subject)) {
      await this.audit.record({
        actorApiKeyId: null,
        actorRole: null,
        tenantId: null,
        action: 'auth.throttle',
        objectType: 'client',
        objectId: subject.slice(0, 200),
        outcome: 'denied',
        status: 429,
        requestId: requestIdOf(request),
      });
    }
    response.setHeader('Retry-After', String(retryAfterSeconds));
    return new ContractError(
      'THROTTLED',
      `Too many failed authentications; try again in ${retryAfterSeconds} s`,
      { reason: 'too_many_failed_authentications' },
    );
  }

  private async authorizeTenant(request: Request, principal: Principal, rule: AccessRule): Promise<boolean> {
    const tenantId = routeParam(request, 'tenantId');
    const foreign = principal.role !== 'operator' && principal.tenantId !== tenantId?.toLowerCase();
    if (!tenantId || !isUuid(tenantId) || foreign || !(await this.tenants.existsLive(tenantId))) {
      // Another tenant's id looks exactly like an id that does not exist (SPEC T2).
      if (foreign) await this.recordDenial(request, principal, 404);
      throw new ContractError('NOT_FOUND', 'No such tenant');
    }
    if (rule === 'tenant-write' && principal.role === 'auditor') {
      throw await this.deny(request, principal, 403, 'Auditor keys are read-only');
    }
    return true;
  }

  private async deny(
    request: Request,
    principal: Principal,
    status: number,
    message: string,
  ): Promise<ContractError> {
    await this.recordDenial(request, principal, status);
    return new ContractError('FORBIDDEN', message, { reason: 'forbidden' });
  }

  private recordDenial(request: Request, principal: Principal | null, status: number): Promise<void> {
    return this.audit.record({
      actorApiKeyId: principal?.apiKeyId ?? null,
      actorRole: principal?.role ?? null,
      // A refusal is kept in the caller's own chain: an outsider cannot write into a tenant's log.
      tenantId: principal?.tenantId ?? null,
      action: status === 401 ? 'auth.authenticate' : 'auth.authorize',
      objectType: 'route',
      objectId: `${request.method} ${request.originalUrl.split('?')[0] ?? ''}`.slice(0, 200),
      outcome: 'denied',
      status,
      requestId: requestIdOf(request),
    });
  }
}
