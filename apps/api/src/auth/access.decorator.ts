import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route:
 * - `public`: anyone (health, docs);
 * - `authenticated`: any valid key (its own identity);
 * - `operator`: operator keys only;
 * - `tenant-read`: operators, and admins or auditors of the route's `:tenantId`;
 * - `tenant-write`: operators, and admins of the route's `:tenantId`.
 * A key of another tenant gets 404, as if the tenant did not exist (SPEC T2).
 */
export type AccessRule = 'public' | 'authenticated' | 'operator' | 'tenant-read' | 'tenant-write';

export const ACCESS_RULE = Symbol('mailkeep:access-rule');

export const Access = (rule: AccessRule): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_RULE, rule);
