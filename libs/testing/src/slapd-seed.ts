import { createHash } from 'node:crypto';

/** One person of the test directory, as the tests expect a sync to see it. */
export interface DirectoryPerson {
  readonly dn: string;
  readonly cn: string;
  readonly displayName?: string;
  /** Values of `mail`, the first being the primary when there is no `SMTP:` proxy address. */
  readonly mail: readonly string[];
  /** Exchange's `proxyAddresses` (AD users only). */
  readonly proxyAddresses?: readonly string[];
  /** AD's account flags; 514 (0x202) has ACCOUNTDISABLE (0x2) set. */
  readonly userAccountControl?: number;
  /** AD users: the objectGUID, as the GUID string Windows shows. OpenLDAP entries have entryUUID only. */
  readonly objectGuid?: string;
}

export interface DirectoryGroup {
  readonly dn: string;
  readonly cn: string;
  readonly members: readonly string[];
}

/** The seeded directory: its LDIF and what it holds. */
export interface SeededDirectory {
  readonly suffix: string;
  readonly readerDn: string;
  readonly readerPassword: string;
  /** AD-style users (objectClass user), generated staff included. */
  readonly staff: readonly DirectoryPerson[];
  /** OpenLDAP-style people (inetOrgPerson, no AD attributes). */
  readonly contractors: readonly DirectoryPerson[];
  readonly groups: readonly DirectoryGroup[];
  /** Entries a default user filter matches but that have no address (a computer account). */
  readonly withoutMail: readonly string[];
  readonly ldif: string;
}

const FIRST = ['Adele', 'Alex', 'Allan', 'Bianca', 'Christie', 'Debra', 'Diego', 'Emily', 'Enrico', 'Grady'];
const LAST = ['Henshaw', 'Gupta', 'Langer', 'Wilke', 'Bowen', 'Holt', 'Johnson', 'Patti', 'Nguyen', 'Sato'];

/**
 * A Contoso directory as a small company's AD looks through LDAP, on an OpenLDAP server:
 * `ou=Staff` holds AD users (proxyAddresses with SMTP/smtp/SIP/X500 entries, userAccountControl,
 * objectGUID, sAMAccountName, userPrincipalName) — `staffCount` of them, more than the server's
 * size limit so only a paged search reads them all — a disabled account and a computer account
 * without mail; `ou=Contractors` holds plain inetOrgPersons with two `mail` values; `ou=Groups`
 * has `Archive-Scope` whose members are one user and the nested group `Legal`.
 */
export function contosoDirectory(
  options: { staffCount?: number; readerPassword?: string } = {},
): SeededDirectory {
  const suffix = 'dc=contoso,dc=com';
  const readerDn = `cn=svc-mailkeep,ou=Service Accounts,${suffix}`;
  const readerPassword = options.readerPassword ?? 'Rd!x9-ldap-reader';
  const person = (cn: string): string => `cn=${cn},ou=Staff,${suffix}`;
  const named: DirectoryPerson[] = [
    {
      dn: person('Adele Vance'),
      cn: 'Adele Vance',
      displayName: 'Adele Vance',
      mail: ['adele.vance@contoso.com'],
      proxyAddresses: [
        'SMTP:adele.vance@contoso.com',
        'smtp:adele@contoso.com',
        'smtp:AdeleV@contoso.onmicrosoft.com',
        'SIP:adele.vance@contoso.com',
        'X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=adelev',
      ],
      userAccountControl: 512,
      objectGuid: guid('adele'),
    },
    {
      dn: person('Alex Wilber'),
      cn: 'Alex Wilber',
      displayName: 'Alex Wilber (left)',
      mail: ['alex.wilber@contoso.com'],
      proxyAddresses: ['SMTP:alex.wilber@contoso.com'],
      userAccountControl: 514,
      objectGuid: guid('alex'),
    },
    {
      dn: person('Megan Bowen'),
      cn: 'Megan Bowen',
      displayName: 'Megan Bowen',
      mail: ['megan.bowen@contoso.com'],
      proxyAddresses: ['SMTP:megan.bowen@contoso.com', 'smtp:megan@contoso.com'],
      userAccountControl: 66048,
      objectGuid: guid('megan'),
    },
    {
      dn: person('Diego Siciliani'),
      cn: 'Diego Siciliani',
      displayName: 'Diego Siciliani',
      mail: ['diego.siciliani@contoso.com'],
      proxyAddresses: ['SMTP:diego.siciliani@contoso.com'],
      userAccountControl: 512,
      objectGuid: guid('diego'),
    },
  ];
  const generated: DirectoryPerson[] = Array.from({ length: options.staffCount ?? 120 }, (_, index) => {
    const first = FIRST[index % FIRST.length] ?? 'Pat';
    const last = `${LAST[Math.floor(index / FIRST.length) % LAST.length] ?? 'Doe'}${
      index >= FIRST.length * LAST.length ? `-${Math.floor(index / (FIRST.length * LAST.length))}` : ''
    }`;
    const local = `${first}.${last}`.toLowerCase();
    return {
      dn: person(`${first} ${last}`),
      cn: `${first} ${last}`,
      displayName: `${first} ${last}`,
      mail: [`${local}@contoso.com`],
      proxyAddresses: [`SMTP:${local}@contoso.com`],
      userAccountControl: 512,
      objectGuid: guid(local),
    };
  });
  const contractors: DirectoryPerson[] = [
    {
      dn: `cn=Bianca Pisani,ou=Contractors,${suffix}`,
      cn: 'Bianca Pisani',
      displayName: 'Bianca Pisani (Fabrikam)',
      mail: ['bianca.pisani@fabrikam.com', 'bianca@fabrikam.com'],
    },
    {
      dn: `cn=Enrico Cattaneo,ou=Contractors,${suffix}`,
      cn: 'Enrico Cattaneo',
      mail: ['enrico.cattaneo@fabrikam.com'],
    },
  ];
  const legal: DirectoryGroup = {
    dn: `cn=Legal,ou=Groups,${suffix}`,
    cn: 'Legal',
    members: [person('Adele Vance'), person('Diego Siciliani')],
  };
  const scope: DirectoryGroup = {
    dn: `cn=Archive-Scope,ou=Groups,${suffix}`,
    cn: 'Archive-Scope',
    members: [person('Megan Bowen'), legal.dn],
  };
  const computer = `cn=WS-0042,ou=Staff,${suffix}`;
  const staff = [...named, ...generated];

  const records = [
    `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\no: Contoso\ndc: contoso`,
    ...['Service Accounts', 'Staff', 'Contractors', 'Groups'].map(
      (ou) => `dn: ou=${ou},${suffix}\nobjectClass: organizationalUnit\nou: ${ou}`,
    ),
    `dn: ${readerDn}\nobjectClass: person\ncn: svc-mailkeep\nsn: svc-mailkeep\nuserPassword: ${readerPassword}`,
    ...staff.map((p) => userRecord(p, 'user')),
    `dn: ${computer}\nobjectClass: user\ncn: WS-0042\nsn: WS-0042\nsAMAccountName: WS-0042$\nuserAccountControl: 4096\nobjectGUID:: ${guidBytes(guid('ws-0042')).toString('base64')}`,
    ...contractors.map((p) => userRecord(p, 'inetOrgPerson')),
    // Inner groups first: the memberof overlay writes memberOf on members that exist already.
    ...[legal, scope].map(
      (g) =>
        `dn: ${g.dn}\nobjectClass: group\ncn: ${g.cn}\nsAMAccountName: ${g.cn}\nobjectGUID:: ${guidBytes(
          guid(g.cn),
        ).toString('base64')}\n${g.members.map((m) => `member: ${m}`).join('\n')}`,
    ),
  ];
  return {
    suffix,
    readerDn,
    readerPassword,
    staff,
    contractors,
    groups: [legal, scope],
    withoutMail: [computer],
    ldif: `${records.join('\n\n')}\n`,
  };
}

function userRecord(p: DirectoryPerson, objectClass: 'user' | 'inetOrgPerson'): string {
  const [given = p.cn, ...rest] = p.cn.split(' ');
  const lines = [`dn: ${p.dn}`, `objectClass: ${objectClass}`, `cn: ${p.cn}`, `givenName: ${given}`];
  lines.push(`sn: ${rest.join(' ') || p.cn}`);
  if (p.displayName) lines.push(`displayName: ${p.displayName}`);
  lines.push(...p.mail.map((m) => `mail: ${m}`));
  if (objectClass === 'user') {
    const local = (p.mail[0] ?? p.cn).split('@')[0] ?? p.cn;
    lines.push(`sAMAccountName: ${local.slice(0, 20)}`, `userPrincipalName: ${local}@contoso.com`);
    lines.push(...(p.proxyAddresses ?? []).map((a) => `proxyAddresses: ${a}`));
    if (p.userAccountControl !== undefined) lines.push(`userAccountControl: ${p.userAccountControl}`);
    if (p.objectGuid) lines.push(`objectGUID:: ${guidBytes(p.objectGuid).toString('base64')}`);
  }
  return lines.join('\n');
}

/** A stable GUID per name, so tests can name the ids they expect. */
function guid(name: string): string {
  const hex = createHash('sha256').update(`contoso:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The 16 bytes AD stores for a GUID: the first three fields little-endian (Windows' GUID layout),
 * the last two as written. A client must reverse them to show the GUID Windows shows.
 */
export function guidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  const swap = (from: number, bytes: number) =>
    Buffer.from(hex.slice(from, from + bytes * 2), 'hex').reverse();
  return Buffer.concat([swap(0, 4), swap(8, 2), swap(12, 2), Buffer.from(hex.slice(16), 'hex')]);
}
