import type { Schemas } from '../../api/client';
import { ldapBodyOf, type LdapDraft, ldapDraftOf, type LdapService } from './ldap-model';

export type StaticService = Schemas['StaticDirectoryServiceDto'];
export type M365Service = Schemas['M365DirectoryServiceDto'];
export type GoogleWorkspaceService = Schemas['GoogleWorkspaceDirectoryServiceDto'];
export type Service = StaticService | M365Service | GoogleWorkspaceService | LdapService;
export type ServiceType = Service['type'];

export const TYPE_LABELS: Record<ServiceType, string> = {
  static: 'Static (mailboxes assigned by hand)',
  m365: 'Microsoft 365 (Entra ID)',
  'google-workspace': 'Google Workspace',
  ldap: 'Active Directory / LDAP',
};

/** Where the synced users come from, for the dialog's wording. */
export const SOURCE_NAMES: Record<Exclude<ServiceType, 'static'>, string> = {
  m365: 'Entra ID',
  'google-workspace': 'Google Workspace',
  ldap: 'the directory',
};

/** Secret types an m365 directory service authenticates with (the API checks it too). */
export const M365_SECRET_TYPES = ['certificate', 'client-secret'] as const;
/** A google-workspace directory service authenticates with a service account's JSON key. */
export const GOOGLE_SECRET_TYPES = ['google-service-account'] as const;

/** Which users a google-workspace service lists: the whole account (customer) or one domain of it. */
export type GoogleScope = 'customer' | 'domain';

/** The form's values: every field as text, whatever the type. */
export interface Draft {
  name: string;
  description: string;
  type: ServiceType;
  disableMissing: boolean;
  credentialsSecretId: string;
  applicationId: string;
  directoryId: string;
  groupId: string;
  adminSubject: string;
  googleScope: GoogleScope;
  customer: string;
  domain: string;
  groupKey: string;
  ldap: LdapDraft;
}

export function draftOf(service: Service | null): Draft {
  const m365 = service?.type === 'm365' ? service : undefined;
  const google = service?.type === 'google-workspace' ? service : undefined;
  const ldap = service?.type === 'ldap' ? service : undefined;
  return {
    name: service?.name ?? '',
    description: service?.description ?? '',
    type: service?.type ?? 'static',
    disableMissing: service?.disableMissing ?? false,
    credentialsSecretId:
      m365?.credentialsSecretId ?? google?.credentialsSecretId ?? ldap?.credentialsSecretId ?? '',
    applicationId: m365?.applicationId ?? '',
    directoryId: m365?.directoryId ?? '',
    groupId: m365?.groupId ?? '',
    adminSubject: google?.adminSubject ?? '',
    googleScope: google?.domain ? 'domain' : 'customer',
    customer: google?.customer ?? '',
    domain: google?.domain ?? '',
    groupKey: google?.groupKey ?? '',
    ldap: ldapDraftOf(ldap),
  };
}

/**
 * The request body: the fields of the draft's type only (another type's field would be a field
 * error). Empty texts are left out on create; on edit an emptied optional field is sent as null,
 * which removes it (the group filter, or the customer or domain not chosen).
 */
export function bodyOf(draft: Draft, mode: 'create' | 'edit'): Record<string, unknown> {
  const common = {
    name: draft.name,
    description: draft.description,
    type: draft.type,
    disableMissing: draft.disableMissing,
  };
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const optional = (value: string) => text(value) ?? (mode === 'edit' ? null : undefined);
  switch (draft.type) {
    case 'static':
      return common;
    case 'm365':
      return {
        ...common,
        credentialsSecretId: text(draft.credentialsSecretId),
        applicationId: text(draft.applicationId),
        directoryId: text(draft.directoryId),
        groupId: optional(draft.groupId),
      };
    case 'google-workspace': {
      const byDomain = draft.googleScope === 'domain';
      return {
        ...common,
        credentialsSecretId: text(draft.credentialsSecretId),
        adminSubject: text(draft.adminSubject),
        customer: optional(byDomain ? '' : draft.customer),
        domain: optional(byDomain ? draft.domain : ''),
        groupKey: optional(draft.groupKey),
      };
    }
    case 'ldap':
      return {
        ...common,
        credentialsSecretId: text(draft.credentialsSecretId),
        ...ldapBodyOf(draft.ldap, mode),
      };
  }
}

/**
 * What the form refuses before sending: one domain chosen with its field left empty would
 * otherwise be saved as the whole account (the API reads an absent domain as `my_customer`).
 */
export function draftErrors(draft: Draft): Partial<Record<keyof Draft, string>> {
  if (draft.type === 'google-workspace' && draft.googleScope === 'domain' && draft.domain.trim() === '')
    return { domain: 'Enter the domain, or choose the whole account.' };
  return {};
}
