import { ContractError, isUuid } from '@mailkeep/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { bearerToken, hashApiKey } from '../api-keys/api-key-codec.js';
import { ApiKeysRepository } from '../api-keys/api-keys.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { type Principal, requestIdOf, routeParam, setPrincipal } from '../http/request-context.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { ACCESS_RULE, type AccessRule } from './access.decorator.js';

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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule === 'public') return true;
    const request = context.switchToHttp().getRequest<Request>();

    const principal = await this.authenticate(request);
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

  private async authenticate(request: Request): Promise<Principal> {
    const token = bearerToken(request.headers.authorization);
    const key = token ? await this.keys.findActiveByHash(hashApiKey(token)) : null;
    if (!key) {
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
