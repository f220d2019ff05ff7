/**
 * The property table of SPEC §3.1 as plain data: the one copy that the profiles service's rules,
 * the API documentation and the web console read. Browser-safe on purpose (no imports, no Node
 * built-ins, no decorators): the console imports it as `@mailkeep/contracts/profile-table`.
 * Values are judged elsewhere (the profiles service's rules); this file says which property a
 * type and mode use, which are required, and the defaults.
 */

/** Profile types, each served by its own connector pool (SPEC P2). */
export const PROFILE_TYPES = ['imap', 'exchange', 'm365', 'pop3', 'google-workspace'] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

export const PROFILE_MODES = ['single', 'multiple'] as const;
export type ProfileMode = (typeof PROFILE_MODES)[number];

/** `-ssl` = implicit TLS, `-tls` = STARTTLS / STLS. */
export const PROFILE_PROTOCOLS = ['imap-ssl', 'imap-tls', 'pop-ssl', 'pop-tls'] as const;
export type ProfileProtocol = (typeof PROFILE_PROTOCOLS)[number];

/** One cell of the table: required or optional, possibly only in one mode. */
export interface PropertyCell {
  readonly use: 'required' | 'optional';
  readonly mode?: ProfileMode;
}
export type PropertyRow = Partial<Record<ProfileType, PropertyCell>>;

const req: PropertyCell = { use: 'required' };
const opt: PropertyCell = { use: 'optional' };
const singleReq: PropertyCell = { use: 'required', mode: 'single' };
const singleOpt: PropertyCell = { use: 'optional', mode: 'single' };
const multipleReq: PropertyCell = { use: 'required', mode: 'multiple' };

/**
 * For each type-specific property, the types that use it (an empty cell = not used: sending it
 * is a field error, P12). Adding a property means adding a row here.
 */
export const PROFILE_PROPERTY_TABLE = {
  mailboxId: {
    imap: singleReq,
    pop3: singleReq,
    exchange: singleReq,
    m365: singleReq,
    'google-workspace': singleReq,
  },
  directoryServiceId: {
    imap: multipleReq,
    exchange: multipleReq,
    m365: multipleReq,
    'google-workspace': multipleReq,
  },
  serverName: { imap: req, pop3: req, exchange: req },
  port: { imap: opt, pop3: opt },
  protocol: { imap: req, pop3: req },
  timeoutSeconds: { imap: opt, pop3: opt, exchange: opt },
  sourceMailbox: { exchange: singleOpt, m365: singleOpt, 'google-workspace': singleOpt },
  applicationId: { m365: req },
  directoryId: { m365: req },
  ignoreTlsCertificateErrors: { imap: opt, pop3: opt, exchange: opt },
  folders: { imap: opt, exchange: opt, m365: opt, 'google-workspace': opt },
} as const satisfies Record<string, PropertyRow>;

export type ProfileProperty = keyof typeof PROFILE_PROPERTY_TABLE;

/** The properties every profile has, whatever its type. */
export const COMMON_PROFILE_PROPERTIES = [
  'name',
  'type',
  'mode',
  'credentialsSecretId',
  'deleteInSource',
] as const;

/** The table's cell for a property, type and mode; undefined when the property is not used there. */
export function propertyCell(
  property: string,
  type: ProfileType,
  mode: ProfileMode,
): PropertyCell | undefined {
  const row: PropertyRow | undefined = (PROFILE_PROPERTY_TABLE as Record<string, PropertyRow>)[property];
  const cell = row?.[type];
  return cell !== undefined && (cell.mode === undefined || cell.mode === mode) ? cell : undefined;
}

/** The protocols each server-based type accepts. */
export const PROTOCOLS_BY_TYPE: Partial<Record<ProfileType, readonly ProfileProtocol[]>> = {
  imap: ['imap-ssl', 'imap-tls'],
  pop3: ['pop-ssl', 'pop-tls'],
};

/** IANA ports: implicit TLS 993/995, STARTTLS/STLS on the plain ports 143/110. */
export const DEFAULT_PORT: Readonly<Record<ProfileProtocol, number>> = {
  'imap-ssl': 993,
  'imap-tls': 143,
  'pop-ssl': 995,
  'pop-tls': 110,
};

/** Sixty seconds: patient enough for a slow mail server, short enough to notice a dead one. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** SPEC §3.1: 10–600 seconds; shorter fails on slow servers, longer hides a dead one. */
export const TIMEOUT_SECONDS_RANGE = { min: 10, max: 600 } as const;

/** The secret types a profile can use (the secrets service has the full list, SPEC S1). */
export type ProfileSecretType = 'basic' | 'certificate' | 'client-secret' | 'google-service-account';

/** Secret types that can authenticate each profile type (SPEC §3.1, P9). */
export const SECRET_TYPES_BY_PROFILE_TYPE: Readonly<Record<ProfileType, readonly ProfileSecretType[]>> = {
  imap: ['basic'],
  pop3: ['basic'],
  exchange: ['basic'],
  m365: ['certificate', 'client-secret'],
  'google-workspace': ['google-service-account'],
};
