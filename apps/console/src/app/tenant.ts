import { useParams } from 'react-router';

/** The tenant of the current page (every tenant page lives under /t/:tenantId). */
export function useTenantId(): string {
  const { tenantId } = useParams();
  if (!tenantId) throw new Error('useTenantId outside a tenant route');
  return tenantId;
}

/** Path of a page of the tenant, e.g. tenantPath(t, 'archiving-profiles', id). */
export function tenantPath(tenantId: string, ...parts: string[]): string {
  return ['', 't', tenantId, ...parts.map(encodeURIComponent)].join('/');
}
