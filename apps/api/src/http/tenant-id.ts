import { Injectable, Param, type PipeTransform } from '@nestjs/common';

/**
 * Tenant ids are UUIDs stored in lower case; a client may write the route's id in any case. The
 * auth guard has already refused a `:tenantId` that is not a UUID of a live tenant the caller may
 * use, so this only puts the id in its stored form.
 */
@Injectable()
export class TenantIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return value.toLowerCase();
  }
}

/** The route's `:tenantId`, in the form the services store (`@TenantId() tenantId: string`). */
export const TenantId = (): ParameterDecorator => Param('tenantId', TenantIdPipe);
