import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

import {
  type ArchivingProfile,
  COMMON_PROFILE_PROPERTIES,
  DEFAULT_PORT,
  DEFAULT_TIMEOUT_SECONDS,
  type FieldError,
  isEntraGuid,
  isUuid,
  normalizeEntraGuid,
  PROFILE_MODES,
  PROFILE_PROPERTY_TABLE,
  PROFILE_TYPES,
  type ProfileMode,
  type ProfileType,
  propertyCell,
  PROTOCOLS_BY_TYPE,
  type PropertyRow,
  SECRET_TYPES_BY_PROFILE_TYPE,
  TIMEOUT_SECONDS_RANGE,
} from '@mailkeep/contracts';

/** The property table of SPEC §3.1 lives in libs/contracts (one copy for the service and the console). */
export const PROPERTY_TABLE: Readonly<Record<string, PropertyRow>> = PROFILE_PROPERTY_TABLE;
export { DEFAULT_PORT, DEFAULT_TIMEOUT_SECONDS, PROTOCOLS_BY_TYPE, SECRET_TYPES_BY_PROFILE_TYPE };

/**
 * A profile after validation: only the properties its type and mode use, defaults applied. The
 * shape is the contract's (ArchivingProfile and its settings classes), less the stored bookkeeping.
 */
export type ValidProfile = Omit<ArchivingProfile, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export type ValidationOutcome = { ok: true; profile: ValidProfile } | { ok: false; errors: FieldError[] };

const ADDRESS = /^[^\s@"<>()[\],;:\\]{1,64}@[^\s@"<>()[\],;:\\]{1,253}$/u;
const MAX_FOLDERS = 1_000;

/**
 * Checks a whole profile against the table and the value rules, collecting every field error
 * (SPEC §5: all field errors of a request at once). Empty strings and null count as absent.
 */
export function validateProfile(input: Record<string, unknown>): ValidationOutcome {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): void => void errors.push({ field, message });
  const value = (name: string): unknown =>
    input[name] === '' || input[name] === null ? undefined : input[name];

  for (const name of Object.keys(input)) {
    if (!(COMMON_PROFILE_PROPERTIES as readonly string[]).includes(name) && !(name in PROPERTY_TABLE)) {
      fail(name, `${name} is not a property of an archiving profile`);
    }
  }

  const name = typeof input.name === 'string' ? input.name.trim() : undefined;
  if (name === undefined || name.length === 0) fail('name', 'name is required (1–200 characters)');
  else if (name.length > 200) fail('name', 'name must be at most 200 characters');

  const type = value('type');
  const typeKnown = (PROFILE_TYPES as readonly unknown[]).includes(type);
  if (!typeKnown) fail('type', `type must be one of ${PROFILE_TYPES.join(', ')}`);
  const mode = value('mode');
  const modeKnown = (PROFILE_MODES as readonly unknown[]).includes(mode);
  if (!modeKnown) fail('mode', 'mode must be single or multiple');
  if (type === 'pop3' && mode === 'multiple') fail('mode', 'pop3 profiles archive a single mailbox only');

  const secretId = value('credentialsSecretId');
  if (secretId === undefined) fail('credentialsSecretId', 'credentialsSecretId is required');
  else if (!isUuid(secretId)) fail('credentialsSecretId', 'credentialsSecretId must be a secret id');

  const deleteInSource = value('deleteInSource');
  if (deleteInSource !== undefined && typeof deleteInSource !== 'boolean') {
    fail('deleteInSource', 'deleteInSource must be true or false');
  }

  const profile: Partial<ValidProfile> = {};
  if (typeKnown && modeKnown) {
    for (const [property, row] of Object.entries(PROPERTY_TABLE)) {
      const cell = propertyCell(property, type as ProfileType, mode as ProfileMode);
      const given = value(property);
      if (cell === undefined) {
        if (given !== undefined)
          fail(property, notUsedMessage(property, type as ProfileType, mode as ProfileMode, row));
        continue;
      }
      if (given === undefined) {
        if (cell.use === 'required')
          fail(property, `${property} is required for ${String(type)} profiles in ${String(mode)} mode`);
        continue;
      }
      const checked = checkValue(property, given, type as ProfileType);
      if (typeof checked === 'string') fail(property, checked);
      else Object.assign(profile, { [property]: checked.value });
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    profile: {
      ...profile,
      name: name ?? '',
      type: type as ProfileType,
      mode: mode as ProfileMode,
      credentialsSecretId: (secretId as string).toLowerCase(),
      deleteInSource: (deleteInSource as boolean | undefined) ?? false,
    },
  };
}

/**
 * The profile as it is used and shown: the default port of its protocol and the default timeout
 * filled in. Defaults are not stored, so a later change of protocol moves the port with it.
 */
export function withDefaults(profile: ValidProfile): ValidProfile {
  const filled = { ...profile };
  if (filled.protocol && filled.port === undefined) filled.port = DEFAULT_PORT[filled.protocol];
  if (PROPERTY_TABLE.timeoutSeconds?.[filled.type] && filled.timeoutSeconds === undefined) {
    filled.timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  }
  return filled;
}

/** Whether a type-specific property is used by a type in a mode (the table's cell is not empty). */
export function isPropertyUsed(property: string, type: ProfileType, mode: ProfileMode): boolean {
  return propertyCell(property, type, mode) !== undefined;
}

function notUsedMessage(property: string, type: ProfileType, mode: ProfileMode, row: PropertyRow): string {
  const cell = row[type];
  if (cell?.mode && cell.mode !== mode) return `${property} is only used in ${cell.mode} mode`;
  const types = Object.keys(row).join(', ');
  return `${property} is not used by ${type} profiles (only by ${types})`;
}

type Checked = { value: unknown } | string;

function checkValue(property: string, given: unknown, type: ProfileType): Checked {
  switch (property) {
    case 'mailboxId':
    case 'directoryServiceId':
      return isUuid(given) ? { value: given.toLowerCase() } : `${property} must be an id`;
    case 'applicationId':
    case 'directoryId':
      return typeof given === 'string' && isEntraGuid(given.trim())
        ? { value: normalizeEntraGuid(given) }
        : `${property} must be a GUID from the Entra ID page, like 00000000-0000-0000-0000-000000000000`;
    case 'serverName':
      return checkServerName(given);
    case 'port':
      return Number.isInteger(given) && (given as number) >= 0 && (given as number) <= 65535
        ? { value: given }
        : 'port must be a whole number between 0 and 65535';
    case 'protocol': {
      const allowed = PROTOCOLS_BY_TYPE[type] ?? [];
      return typeof given === 'string' && (allowed as readonly string[]).includes(given)
        ? { value: given }
        : `protocol must be ${allowed.join(' or ')} for ${type} profiles`;
    }
    case 'timeoutSeconds':
      return Number.isInteger(given) &&
        (given as number) >= TIMEOUT_SECONDS_RANGE.min &&
        (given as number) <= TIMEOUT_SECONDS_RANGE.max
        ? { value: given }
        : `timeoutSeconds must be a whole number between ${TIMEOUT_SECONDS_RANGE.min} and ${TIMEOUT_SECONDS_RANGE.max} (leave it empty for ${DEFAULT_TIMEOUT_SECONDS})`;
    case 'sourceMailbox':
      return typeof given === 'string' && ADDRESS.test(given.trim())
        ? { value: given.trim() }
        : 'sourceMailbox must be an email address';
    case 'ignoreTlsCertificateErrors':
      return typeof given === 'boolean' ? { value: given } : `${property} must be true or false`;
    case 'folders':
      return checkFolders(given);
    default:
      return `${property} is not a property of an archiving profile`;
  }
}

/** A host name (internationalised names allowed) or an IP literal; nothing else (no scheme, port, path, user). */
function checkServerName(given: unknown): Checked {
  const message =
    'serverName must be a host name or IP address, without protocol, port, path, user or spaces';
  if (typeof given !== 'string') return message;
  const name = given.trim();
  if (name.length === 0 || name.length > 253 || /\s/.test(name)) return message;
  if (isIPv4(name) || isIPv6(name)) return { value: name };
  if (name.startsWith('[') && name.endsWith(']') && isIPv6(name.slice(1, -1)))
    return { value: name.slice(1, -1) };
  if (/[/:@?#\\]/.test(name)) return message;
  const ascii = domainToASCII(name.replace(/\.$/, ''));
  if (!ascii || ascii.length > 253) return message;
  const labelsOk = ascii
    .split('.')
    .every(
      (label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label) || /^xn--[a-z0-9-]{1,59}$/i.test(label),
    );
  // The name is kept as written (a person reads it); connectors resolve it through IDNA again.
  return labelsOk ? { value: name } : message;
}

function checkFolders(given: unknown): Checked {
  const message = 'folders must be { include: string[], exclude: string[], excludeDefaults: boolean }';
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return message;
  const { include = [], exclude = [], excludeDefaults = true, ...rest } = given as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return `folders has unknown properties: ${Object.keys(rest).join(', ')}`;
  const paths = (list: unknown): list is string[] =>
    Array.isArray(list) &&
    list.length <= MAX_FOLDERS &&
    list.every((item) => typeof item === 'string' && item.trim().length > 0 && item.length <= 1000);
  if (!paths(include) || !paths(exclude) || typeof excludeDefaults !== 'boolean') return message;
  return { value: { include, exclude, excludeDefaults } };
}
