import type { FieldError } from '@mailkeep/contracts';

import { isTimeZone, type Recurrence, validateRecurrence } from './recurrence.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Properties a client may send back unchanged from what it read; they are not input. */
const READ_ONLY = new Set(['id', 'nextRuns']);
const WRITABLE = new Set(['name', 'target', 'enabled', 'timezone', 'recurrence']);

export interface ValidSchedule {
  readonly name: string;
  readonly profileId: string;
  readonly enabled: boolean;
  readonly timezone: string;
  readonly recurrence: Recurrence;
}

/** Checks a schedule as written (SPEC §5 Schedule); reports every field error at once. */
export function validateSchedule(input: Record<string, unknown>): {
  schedule?: ValidSchedule;
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) {
    if (!WRITABLE.has(key) && !READ_ONLY.has(key))
      errors.push({ field: key, message: 'is not a property of a schedule' });
  }
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > 200)
    errors.push({ field: 'name', message: 'must be 1 to 200 characters' });

  let profileId = '';
  const target = input.target;
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    errors.push({ field: 'target', message: 'must be { kind: "archiving-profile", profileId }' });
  } else {
    const { kind, profileId: id, ...rest } = target as Record<string, unknown>;
    if (kind !== 'archiving-profile')
      errors.push({ field: 'target.kind', message: 'must be archiving-profile' });
    if (typeof id !== 'string' || !UUID.test(id)) {
      errors.push({ field: 'target.profileId', message: 'must be the id of an archiving profile' });
    } else {
      profileId = id.toLowerCase();
    }
    for (const key of Object.keys(rest))
      errors.push({ field: `target.${key}`, message: 'is not a property of a target' });
  }

  const enabled = input.enabled ?? true;
  if (typeof enabled !== 'boolean') errors.push({ field: 'enabled', message: 'must be true or false' });

  const timezone = input.timezone;
  if (!isTimeZone(timezone)) {
    errors.push({ field: 'timezone', message: 'must be an IANA time zone, e.g. Europe/Berlin' });
  }
  const recurrence = validateRecurrence(input.recurrence);
  errors.push(...recurrence.errors);

  if (errors.length > 0 || !recurrence.recurrence || !isTimeZone(timezone) || typeof enabled !== 'boolean') {
    return { errors };
  }
  return { schedule: { name, profileId, enabled, timezone, recurrence: recurrence.recurrence }, errors };
}
