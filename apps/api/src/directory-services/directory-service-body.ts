import type { DirectoryServicePayload } from '@mailkeep/contracts';

import type { DirectoryServiceDto } from './dto/directory-service.dto.js';

/** Body fields every type has; the others are the type's settings (SPEC §5: flat, next to `type`). */
const COMMON_FIELDS = new Set(['name', 'description', 'type', 'disableMissing']);

/**
 * Splits a flat create or edit body into the common fields and the type-specific `settings` the
 * directory service validates with the type's settings class (so its field errors keep the body's
 * names). Fields the path fixes are left in place for forwardBody to refuse.
 */
export function splitSettings(body: Record<string, unknown>): Record<string, unknown> {
  const common: Record<string, unknown> = {};
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (COMMON_FIELDS.has(key) || key === 'tenantId' || key === 'id') common[key] = value;
    else settings[key] = value;
  }
  return Object.keys(settings).length > 0 ? { ...common, settings } : common;
}

/** The view of SPEC §5: the type's settings next to `type`, not nested. */
export function flatView(payload: DirectoryServicePayload): DirectoryServiceDto {
  const { settings, ...rest } = payload;
  return { ...settings, ...rest } as DirectoryServiceDto;
}
