import type { Entry } from 'ldapts';

import type { SourceEntry } from '../directory-source.js';
import { recipientAddresses } from '../exchange-addresses.js';

/** Which attributes hold what (the service's settings, defaults applied). */
export interface LdapAttributeMap {
  readonly mail: string;
  readonly displayName: string;
}

/**
 * Attributes that identify an entry for good, in order of preference: AD's `objectGUID`, then
 * the operational ids of OpenLDAP (RFC 4530 `entryUUID`), 389 Directory Server / Oracle
 * (`nsUniqueId`) and FreeIPA (`ipaUniqueID`). They survive a rename or a move, so a renamed
 * user updates its mailbox instead of creating a second one.
 */
export const STABLE_ID_ATTRIBUTES = ['objectGUID', 'entryUUID', 'nsUniqueId', 'ipaUniqueID'] as const;

/** `userAccountControl` bit 2 (ADS_UF_ACCOUNTDISABLE): the account cannot sign in. */
export const ACCOUNT_DISABLED = 0x2;

/** What to ask the server for: the mapped attributes, the AD conventions and the ids. */
export function requestedAttributes(map: LdapAttributeMap): string[] {
  const names = [
    map.mail,
    map.displayName,
    'cn',
    'proxyAddresses',
    'userAccountControl',
    ...STABLE_ID_ATTRIBUTES,
  ];
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

/**
 * The mailbox an LDAP entry stands for, or undefined when it has no address (a computer account,
 * a service account). The primary is the `SMTP:` proxy address when there is one, else the first
 * mail value; other mail values and `smtp:` proxies are secondary. An AD account with the
 * disabled bit set is a disabled mailbox.
 */
export function entryOfLdapUser(entry: Entry, map: LdapAttributeMap): SourceEntry | undefined {
  const read = attributeReader(entry);
  const addresses = recipientAddresses(read.strings(map.mail), read.strings('proxyAddresses'));
  if (!addresses) return undefined;
  const flags = Number.parseInt(read.strings('userAccountControl')[0] ?? '', 10);
  return {
    externalId: stableId(entry, read),
    displayName: (read.strings(map.displayName)[0] ?? read.strings('cn')[0] ?? '').trim(),
    ...addresses,
    ...(Number.isInteger(flags) && { enabled: (flags & ACCOUNT_DISABLED) === 0 }),
  };
}

/**
 * The entry's stable id as text: a GUID for `objectGUID` (16 bytes stored in Windows' mixed-endian
 * layout, shown as Windows and `Get-ADUser` show it), the value itself for the others, the DN
 * (lower-cased) when the server has none of them — then a rename is a new mailbox.
 */
function stableId(entry: Entry, read: AttributeReader): string {
  const guid = read.buffer('objectGUID');
  if (guid?.length === 16) return windowsGuid(guid);
  for (const name of STABLE_ID_ATTRIBUTES.slice(1)) {
    const value = read.strings(name)[0]?.trim();
    if (value) return value.toLowerCase();
  }
  return `dn:${entry.dn.toLowerCase()}`;
}

export function windowsGuid(bytes: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

interface AttributeReader {
  strings(name: string): string[];
  buffer(name: string): Buffer | undefined;
}

/** Attribute names compare case-insensitively (RFC 4512); servers answer in their schema's case. */
function attributeReader(entry: Entry): AttributeReader {
  const byName = new Map(Object.entries(entry).map(([name, value]) => [name.toLowerCase(), value]));
  const values = (name: string): (string | Buffer)[] => {
    const value = byName.get(name.toLowerCase());
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  };
  return {
    strings: (name) => values(name).map((v) => (typeof v === 'string' ? v : v.toString('utf8'))),
    buffer: (name) => {
      const [first] = values(name);
      return typeof first === 'string' ? undefined : first;
    },
  };
}
