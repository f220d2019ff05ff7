import { join } from 'node:path';

/**
 * The Active Directory attributes and classes the test directory needs, with Microsoft's OIDs and
 * syntaxes (MS-ADA1/ADA3), so entries look on the wire as a domain controller sends them:
 * `objectGUID` 16 raw bytes, `userAccountControl` an integer, `proxyAddresses` multi-valued
 * strings. `user` and `group` derive from the standard classes so OpenLDAP's `memberof` overlay
 * maintains `memberOf` as AD does. Debian's msuser.schema has them too, but its `mstop` class
 * requires security descriptors and other attributes no test needs.
 */
export const AD_SCHEMA = `
attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID'
  EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.2.210 NAME 'proxyAddresses'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP inetOrgPerson STRUCTURAL
  MAY ( objectGUID $ userAccountControl $ proxyAddresses $ sAMAccountName $ userPrincipalName ) )
objectclass ( 1.2.840.113556.1.5.8 NAME 'group' SUP groupOfNames STRUCTURAL
  MAY ( objectGUID $ mail $ proxyAddresses $ sAMAccountName ) )
`;

export interface SlapdPaths {
  readonly config: string;
  readonly schema: string;
  readonly database: string;
  readonly pid: string;
  readonly args: string;
}

export function slapdPaths(runDir: string): SlapdPaths {
  return {
    config: join(runDir, 'slapd.conf'),
    schema: join(runDir, 'ad.schema'),
    database: join(runDir, 'db'),
    pid: join(runDir, 'slapd.pid'),
    args: join(runDir, 'slapd.args'),
  };
}

export interface SlapdConfigInput {
  readonly paths: SlapdPaths;
  readonly suffix: string;
  readonly adminDn: string;
  readonly adminPassword: string;
  /** The account a directory service binds as: read access to the whole tree. */
  readonly readerDn: string;
  /** Entries one plain search may return (soft and hard): below the seeded users, so only paging gets them all. */
  readonly sizeLimit: number;
  readonly tls: { readonly certificate: string; readonly key: string; readonly ca: string };
}

/**
 * A standalone slapd.conf: nothing read from /etc/ldap but the stock schema files. The size limit
 * binds plain searches; `size.prtotal=unlimited` lets a paged search (RFC 2696) read past it,
 * as Active Directory's MaxPageSize does — so a client that does not page sees error 4.
 */
export function renderSlapdConfig(input: SlapdConfigInput): string {
  const { paths, tls } = input;
  return `
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include ${paths.schema}
pidfile ${paths.pid}
argsfile ${paths.args}
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
TLSCertificateFile ${tls.certificate}
TLSCertificateKeyFile ${tls.key}
TLSCACertificateFile ${tls.ca}
sizelimit size.soft=${input.sizeLimit} size.hard=${input.sizeLimit} size.prtotal=unlimited

database mdb
suffix "${input.suffix}"
rootdn "${input.adminDn}"
rootpw ${input.adminPassword}
directory ${paths.database}
index objectClass eq
index mail,memberOf eq
overlay memberof
access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to *
  by dn.exact="${input.readerDn}" read
  by * none
`;
}
