import type { Request } from 'express';

import type { ApiKeyRole } from '../api-keys/api-key.entity.js';

/** Who is calling: resolved from the API key by the auth guard. */
export interface Principal {
  readonly apiKeyId: string;
  readonly role: ApiKeyRole;
  /** The tenant of an admin or auditor key; null for operators. */
  readonly tenantId: string | null;
}

/** What the edge attaches to each request, kept apart from Express's own fields. */
interface RequestState {
  requestId: string;
  principal?: Principal;
}

const states = new WeakMap<Request, RequestState>();

export function setRequestId(request: Request, requestId: string): void {
  states.set(request, { ...states.get(request), requestId });
}

export function requestIdOf(request: Request): string {
  return states.get(request)?.requestId ?? 'unknown';
}

export function setPrincipal(request: Request, principal: Principal): void {
  const state = states.get(request) ?? { requestId: 'unknown' };
  states.set(request, { ...state, principal });
}

export function principalOf(request: Request): Principal | undefined {
  return states.get(request)?.principal;
}

/** A route parameter as one string (Express 5 types allow arrays for wildcard segments). */
export function routeParam(request: Request, name: string): string | undefined {
  const value: unknown = request.params[name];
  return typeof value === 'string' ? value : undefined;
}
