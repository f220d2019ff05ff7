import {
  DEFAULT_PORT,
  PROFILE_TYPES,
  type ProfileMode,
  type ProfileProperty,
  type ProfileType,
  PROFILE_PROPERTY_TABLE,
  propertyCell,
  PROTOCOLS_BY_TYPE,
  SECRET_TYPES_BY_PROFILE_TYPE,
} from '@mailkeep/contracts/profile-table';

import type { Schemas } from '../../api/client';

/**
 * The archiving profile's properties by type and mode come from SPEC §3.1's property table in
 * libs/contracts (its browser-safe subpath), the same copy the profiles service checks against:
 * which fields to show, which are mandatory before a connection test. The API stays the judge of
 * values: the form sends what was typed and shows the API's field errors.
 */
export { PROFILE_TYPES, SECRET_TYPES_BY_PROFILE_TYPE, type ProfileMode, type ProfileType };

export const TYPE_LABELS: Record<ProfileType, string> = {
  imap: 'IMAP',
  exchange: 'Exchange Server',
  m365: 'Microsoft 365',
  pop3: 'POP3',
  'google-workspace': 'Google Workspace',
};

export const MODE_LABELS: Record<ProfileMode, string> = {
  single: 'Single mailbox',
  multiple: 'Multiple mailboxes',
};

export type Property = ProfileProperty;

/** The type-specific properties of a type and mode, with whether each is mandatory. */
export function propertiesOf(
  type: ProfileType,
  mode: ProfileMode,
): ReadonlyMap<Property, { required: boolean }> {
  const used = new Map<Property, { required: boolean }>();
  for (const property of Object.keys(PROFILE_PROPERTY_TABLE) as Property[]) {
    const cell = propertyCell(property, type, mode);
    if (cell) used.set(property, { required: cell.use === 'required' });
  }
  return used;
}

/** POP3 archives single mailboxes only (P8). */
export function modesOf(type: ProfileType): readonly ProfileMode[] {
  return type === 'pop3' ? ['single'] : ['single', 'multiple'];
}

/** How the form names each protocol; the ports are the table's defaults. */
const PROTOCOL_LABELS: Record<string, string> = {
  'imap-ssl': 'IMAP-SSL (implicit TLS)',
  'imap-tls': 'IMAP-TLS (STARTTLS)',
  'pop-ssl': 'POP-SSL (implicit TLS)',
  'pop-tls': 'POP-TLS (STLS)',
};

export const PROTOCOLS: Partial<
  Record<ProfileType, readonly { value: string; label: string; port: number }[]>
> = Object.fromEntries(
  Object.entries(PROTOCOLS_BY_TYPE).map(([type, protocols]) => [
    type,
    protocols.map((value) => ({ value, label: PROTOCOL_LABELS[value] ?? value, port: DEFAULT_PORT[value] })),
  ]),
);

/** What the form edits: every property as typed, numbers as text (the API judges them). */
export interface ProfileDraft {
  name: string;
  type: ProfileType;
  mode: ProfileMode;
  credentialsSecretId: string;
  deleteInSource: boolean;
  mailboxId: string;
  directoryServiceId: string;
  serverName: string;
  port: string;
  protocol: string;
  timeoutSeconds: string;
  sourceMailbox: string;
  applicationId: string;
  directoryId: string;
  ignoreTlsCertificateErrors: boolean;
  foldersInclude: string[];
  foldersExclude: string[];
  foldersExcludeDefaults: boolean;
}

export function emptyDraft(type: ProfileType = 'imap'): ProfileDraft {
  return {
    name: '',
    type,
    mode: 'single',
    credentialsSecretId: '',
    deleteInSource: false,
    mailboxId: '',
    directoryServiceId: '',
    serverName: '',
    port: '',
    protocol: PROTOCOLS[type]?.[0]?.value ?? '',
    timeoutSeconds: '',
    sourceMailbox: '',
    applicationId: '',
    directoryId: '',
    ignoreTlsCertificateErrors: false,
    foldersInclude: [],
    foldersExclude: [],
    foldersExcludeDefaults: true,
  };
}

/** An archiving profile as the API shows it: one schema per type, narrowed by `type`. */
export type ArchivingProfile = Schemas['ArchivingProfile'];
/** The bodies of create (and draft test) and of PATCH, one schema per type. */
export type ProfileCreateBody = Schemas['ArchivingProfileCreate'];
export type ProfileUpdateBody = Schemas['ArchivingProfileUpdate'];

export function draftOf(profile: ArchivingProfile): ProfileDraft {
  const text = (value: string | number | null | undefined) =>
    value === undefined || value === null ? '' : String(value);
  // `in` narrows the profile to the types that have the property (the generated types say which).
  const folders = 'folders' in profile ? profile.folders : undefined;
  return {
    ...emptyDraft(profile.type),
    name: profile.name,
    mode: profile.mode,
    credentialsSecretId: profile.credentialsSecretId,
    deleteInSource: profile.deleteInSource,
    mailboxId: text(profile.mailboxId),
    directoryServiceId: 'directoryServiceId' in profile ? text(profile.directoryServiceId) : '',
    serverName: 'serverName' in profile ? profile.serverName : '',
    port: 'port' in profile ? text(profile.port) : '',
    protocol: 'protocol' in profile ? profile.protocol : '',
    timeoutSeconds: 'timeoutSeconds' in profile ? text(profile.timeoutSeconds) : '',
    sourceMailbox: 'sourceMailbox' in profile ? text(profile.sourceMailbox) : '',
    applicationId: 'applicationId' in profile ? profile.applicationId : '',
    directoryId: 'directoryId' in profile ? profile.directoryId : '',
    ignoreTlsCertificateErrors:
      'ignoreTlsCertificateErrors' in profile ? (profile.ignoreTlsCertificateErrors ?? false) : false,
    foldersInclude: folders?.include ?? [],
    foldersExclude: folders?.exclude ?? [],
    foldersExcludeDefaults: folders?.excludeDefaults ?? true,
  };
}

/** A whole number as a number; anything else as typed, for the API to name what is wrong with it. */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/**
 * The request body: the common properties and exactly the properties of the type and mode (the
 * API rejects the others, P12). An empty optional property is left out when creating and sent as
 * null when updating, which clears it. The type is sent on update too: it selects the PATCH
 * schema of the type (the API refuses another type, 422).
 */
export function bodyOf(draft: ProfileDraft, purpose: 'create' | 'test'): ProfileCreateBody;
export function bodyOf(draft: ProfileDraft, purpose: 'update'): ProfileUpdateBody;
export function bodyOf(
  draft: ProfileDraft,
  purpose: 'create' | 'update' | 'test',
): ProfileCreateBody | ProfileUpdateBody {
  const body: Record<string, unknown> = {
    name: draft.name,
    type: draft.type,
    mode: draft.mode,
    credentialsSecretId: draft.credentialsSecretId || undefined,
    deleteInSource: draft.deleteInSource,
  };
  const empty = purpose === 'update' ? null : undefined;
  for (const property of propertiesOf(draft.type, draft.mode).keys()) {
    switch (property) {
      case 'port':
      case 'timeoutSeconds':
        body[property] = numberOrText(draft[property]) ?? empty;
        break;
      case 'ignoreTlsCertificateErrors':
        body[property] = draft.ignoreTlsCertificateErrors;
        break;
      case 'folders': {
        const folders = {
          include: draft.foldersInclude,
          exclude: draft.foldersExclude,
          excludeDefaults: draft.foldersExcludeDefaults,
        };
        const isDefault = !folders.include.length && !folders.exclude.length && folders.excludeDefaults;
        body.folders = purpose === 'update' || !isDefault ? folders : undefined;
        break;
      }
      case 'mailboxId':
      case 'directoryServiceId':
      case 'serverName':
      case 'protocol':
      case 'sourceMailbox':
      case 'applicationId':
      case 'directoryId': {
        const value = draft[property].trim();
        body[property] = value === '' ? empty : value;
        break;
      }
      default: {
        // A property added to the table needs its draft field here (and its input in the form).
        const unhandled: never = property;
        throw new Error(`no draft field for ${String(unhandled)}`);
      }
    }
  }
  // The properties are the type's (the table's); a number the user typed as text stays text, for
  // the API to name what is wrong with it, so the values are not narrowed further here.
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as
    ProfileCreateBody | ProfileUpdateBody;
}

/** The mandatory properties still empty: the connection test is offered once there are none. */
export function missingForTest(draft: ProfileDraft): string[] {
  const missing: string[] = [];
  if (!draft.name.trim()) missing.push('name');
  if (!draft.credentialsSecretId) missing.push('credentialsSecretId');
  for (const [property, { required }] of propertiesOf(draft.type, draft.mode)) {
    if (!required) continue;
    const value = draft[property as keyof ProfileDraft];
    if (typeof value === 'string' && value.trim() === '') missing.push(property);
  }
  return missing;
}
