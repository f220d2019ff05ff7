import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateBy } from 'class-validator';

/** `ldap` plain, `ldap-tls` StartTLS on the plain port, `ldap-ssl` LDAPS (implicit TLS). */
export const LDAP_PROTOCOLS = ['ldap', 'ldap-tls', 'ldap-ssl'] as const;
export type LdapProtocol = (typeof LDAP_PROTOCOLS)[number];

/** The well-known ports (RFC 4516: 389; LDAPS: 636) used when a service sets none. */
export const LDAP_DEFAULT_PORTS: Readonly<Record<LdapProtocol, number>> = {
  ldap: 389,
  'ldap-tls': 389,
  'ldap-ssl': 636,
};

/**
 * Entries per page of the paged search (RFC 2696) when a service sets none: half of Active
 * Directory's MaxPageSize (1,000) and OpenLDAP's default size limit (500), so it fits both.
 */
export const LDAP_DEFAULT_PAGE_SIZE = 500;
/** Users without a filter: AD users (computers have no mail) and OpenLDAP inetOrgPersons, never AD contacts. */
export const LDAP_DEFAULT_FILTER = '(|(objectClass=user)(objectClass=inetOrgPerson))';
export const LDAP_DEFAULT_MAIL_ATTRIBUTE = 'mail';
export const LDAP_DEFAULT_DISPLAY_NAME_ATTRIBUTE = 'displayName';

/** An attribute description (RFC 4512 descr or numeric OID); no options, no spaces. */
const ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/;
/** One RDN's head: an attribute type, then `=` (the value is the server's to judge). */
const RDN = /^\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)\s*=/;

/**
 * `attr=value` components separated by unescaped commas (RFC 4514): a shape check that catches
 * a name typed where a DN belongs; the server judges the values.
 */
function isDn(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 1000 || value.trim() === '') return false;
  return value.split(/(?<!\\),/).every((rdn) => RDN.test(rdn));
}

/** An IPv6 literal's shape: 3 to 8 groups (`::` compresses), an IPv4 tail allowed; `host:port` is not one. */
const IPV6 = /^(?=.*:.*:)[0-9a-fA-F:]+(:\d{1,3}(\.\d{1,3}){3})?$/;

/** A DNS label (internationalised letters allowed; the resolver applies IDNA). */
const HOST_LABEL = /^[\p{L}\p{N}_]([\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?$/u;

/** Host name or IP literal, without scheme, port, path, user info or spaces. */
function isServerName(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const name = value.trim();
  if (name.length === 0 || name.length > 253 || /\s/.test(name)) return false;
  const literal = /^\[.*\]$/.test(name) ? name.slice(1, -1) : name;
  if (IPV6.test(literal)) return true;
  return name
    .replace(/\.$/, '')
    .split('.')
    .every((label) => HOST_LABEL.test(label));
}

/**
 * Balanced parentheses around the whole filter (RFC 4515 string form), escapes outside: a cheap
 * check that catches a missing parenthesis at save time; the client parses it fully before sending.
 */
function isLdapFilter(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 4000) return false;
  const filter = value.trim();
  if (!filter.startsWith('(') || !filter.endsWith(')')) return false;
  let depth = 0;
  for (let index = 0; index < filter.length; index++) {
    const char = filter[index];
    if (char === '\\') index++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0 && index !== filter.length - 1) return false;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function Matches(name: string, test: (value: unknown) => boolean, message: string): PropertyDecorator {
  return ValidateBy({ name, validator: { validate: test, defaultMessage: () => message } });
}

const IsServerName = () =>
  Matches(
    'isServerName',
    isServerName,
    '$property must be a host name or IP address, without protocol, port, path, user or spaces',
  );
const IsDn = () =>
  Matches('isDn', isDn, '$property must be a distinguished name, like ou=People,dc=contoso,dc=com');
const IsAttribute = () =>
  Matches(
    'isLdapAttribute',
    (value) => typeof value === 'string' && value.length <= 100 && ATTRIBUTE.test(value),
    '$property must be an LDAP attribute name, like mail',
  );

/**
 * `ldap`: users of an LDAP directory or Active Directory (SPEC D3), read with a paged search
 * (RFC 2696) after a simple bind. Active Directory conventions apply when the attributes are
 * there: `proxyAddresses` (`SMTP:` primary, `smtp:` secondary), `userAccountControl` (bit 2:
 * disabled), `objectGUID` as the stable id (else `entryUUID`).
 */
export class LdapDirectorySettings {
  /** Host name or IP literal of the directory server (a domain controller for AD). */
  @IsServerName()
  serverName!: string;
  /** TCP port; default 389 (`ldap`, `ldap-tls`) or 636 (`ldap-ssl`). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;
  /** `ldap` plain, `ldap-tls` StartTLS, `ldap-ssl` LDAPS. */
  @IsIn(LDAP_PROTOCOLS)
  protocol!: LdapProtocol;
  /** A `basic` secret: the bind DN (or an AD user principal name) and its password. */
  @IsUUID()
  credentialsSecretId!: string;
  /** Where the search starts (subtree). */
  @IsDn()
  baseDn!: string;
  /** RFC 4515 filter for the users; default {@link LDAP_DEFAULT_FILTER}. */
  @IsOptional()
  @ValidateBy({
    name: 'isLdapFilter',
    validator: {
      validate: isLdapFilter,
      defaultMessage: () => '$property must be an LDAP filter in parentheses, like (objectClass=user)',
    },
  })
  filter?: string;
  /** The attribute holding the primary address (further values are secondary); default `mail`. */
  @IsOptional()
  @IsAttribute()
  mailAttribute?: string;
  /** The attribute holding the display name; default `displayName` (then `cn`). */
  @IsOptional()
  @IsAttribute()
  displayNameAttribute?: string;
  /** Only members of this group, nested groups included. */
  @IsOptional()
  @IsDn()
  groupDn?: string;
  /** Entries per page of the paged search, 1–5,000; default 500. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  pageSize?: number;
  /** Seconds, 10–600 (default 60): connect, bind and each page. */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(600)
  timeoutSeconds?: number;
  /** Accept any certificate (unsafe; the console warns). */
  @IsOptional()
  @IsBoolean()
  ignoreTlsCertificateErrors?: boolean;
}

/** Exposed for the console and tests: the same checks the settings class applies. */
export const ldapSettingChecks = { isServerName, isLdapFilter, isDn } as const;
