import type { Schemas } from '../../api/client';
import { ldapBodyOf, type LdapDraft, ldapDraftOf, type LdapService } from './ldap-model';

export type StaticService = Schemas['StaticDirectoryServiceDto'];
export type M365Service = Schemas['M365DirectoryServiceDto'];
export type Service = StaticService | M365Service | LdapService;
export type ServiceType = Service['type'];

export const TYPE_LABELS: Record<ServiceType, string> = {
  static: 'Static (mailboxes assigned by hand)',
  m365: 'Microsoft 365 (Entra ID)',
  ldap: 'Active Directory / LDAP',
};

/** Secret types an m365 directory service authenticates with (the API checks it too). */
export const M365_SECRET_TYPES = ['certificate', 'client-secret'] as const;

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
  ldap: LdapDraft;
}

export function draftOf(service: Service | null): Draft {
  const m365 = service?.type === 'm365' ? service : undefined;
  const ldap = service?.type === 'ldap' ? service : undefined;
  return {
    name: service?.name ?? '',
    description: service?.description ?? '',
    type: service?.type ?? 'static',
    disableMissing: service?.disableMissing ?? false,
    credentialsSecretId: m365?.credentialsSecretId ?? ldap?.credentialsSecretId ?? '',
    applicationId: m365?.applicationId ?? '',
    directoryId: m365?.directoryId ?? '',
    groupId: m365?.groupId ?? '',
    ldap: ldapDraftOf(ldap),
  };
}

/**
 * The request body: the fields of the draft's type only (another type's field would be a field
 * error). Empty texts are left out on create; on edit an emptied group id is sent as null, which
 * removes the group filter.
 */
export function bodyOf(draft: Draft, mode: 'create' | 'edit'): Record<string, unknown> {
  const common = {
    name: draft.name,
    description: draft.description,
    type: draft.type,
    disableMissing: draft.disableMissing,
  };
  if (draft.type === 'static') return common;
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  if (draft.type === 'ldap') {
    return {
      ...common,
      credentialsSecretId: text(draft.credentialsSecretId),
      ...ldapBodyOf(draft.ldap, mode),
    };
  }
  return {
    ...common,
    credentialsSecretId: text(draft.credentialsSecretId),
    applicationId: text(draft.applicationId),
    directoryId: text(draft.directoryId),
    groupId: text(draft.groupId) ?? (mode === 'edit' ? null : undefined),
  };
}
