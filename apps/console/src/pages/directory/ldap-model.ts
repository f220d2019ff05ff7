import type { Schemas } from '../../api/client';

export type LdapService = Schemas['LdapDirectoryServiceDto'];
export type LdapProtocol = LdapService['protocol'];

export const LDAP_PROTOCOL_LABELS: Record<LdapProtocol, string> = {
  'ldap-ssl': 'LDAPS (TLS from the start, port 636)',
  'ldap-tls': 'LDAP with StartTLS (port 389)',
  ldap: 'LDAP without encryption (port 389, not recommended)',
};

/** An ldap service authenticates with a bind DN (or UPN) and password. */
export const LDAP_SECRET_TYPES = ['basic'] as const;

/** The ldap fields of the form, as text (numbers included, as typed). */
export interface LdapDraft {
  serverName: string;
  port: string;
  protocol: LdapProtocol;
  baseDn: string;
  filter: string;
  mailAttribute: string;
  displayNameAttribute: string;
  groupDn: string;
  pageSize: string;
  timeoutSeconds: string;
  ignoreTlsCertificateErrors: boolean;
}

export function ldapDraftOf(service: LdapService | undefined): LdapDraft {
  return {
    serverName: service?.serverName ?? '',
    port: service?.port?.toString() ?? '',
    protocol: service?.protocol ?? 'ldap-ssl',
    baseDn: service?.baseDn ?? '',
    filter: service?.filter ?? '',
    mailAttribute: service?.mailAttribute ?? '',
    displayNameAttribute: service?.displayNameAttribute ?? '',
    groupDn: service?.groupDn ?? '',
    pageSize: service?.pageSize?.toString() ?? '',
    timeoutSeconds: service?.timeoutSeconds?.toString() ?? '',
    ignoreTlsCertificateErrors: service?.ignoreTlsCertificateErrors ?? false,
  };
}

/**
 * The ldap fields of a request body. An empty optional field is left out on create and sent as
 * null on edit (which removes it: the default applies again). A number that is not one is sent as
 * typed, so the API names the field.
 */
export function ldapBodyOf(draft: LdapDraft, mode: 'create' | 'edit'): Record<string, unknown> {
  const optional = (value: string, asNumber = false) => {
    const text = value.trim();
    if (text === '') return mode === 'edit' ? null : undefined;
    return asNumber && /^\d+$/.test(text) ? Number(text) : text;
  };
  return {
    serverName: draft.serverName.trim() || undefined,
    port: optional(draft.port, true),
    protocol: draft.protocol,
    baseDn: draft.baseDn.trim() || undefined,
    filter: optional(draft.filter),
    mailAttribute: optional(draft.mailAttribute),
    displayNameAttribute: optional(draft.displayNameAttribute),
    groupDn: optional(draft.groupDn),
    pageSize: optional(draft.pageSize, true),
    timeoutSeconds: optional(draft.timeoutSeconds, true),
    ignoreTlsCertificateErrors: draft.ignoreTlsCertificateErrors,
  };
}
