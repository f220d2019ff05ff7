import type { SourceEntry } from '../directory-source.js';

/** The properties of a Graph `user` the sync selects (`$select`), as Graph sends them. */
export interface EntraUser {
  readonly id: string;
  readonly displayName?: string | null;
  readonly mail?: string | null;
  readonly userPrincipalName?: string | null;
  readonly userType?: string | null;
  readonly proxyAddresses?: readonly string[] | null;
}

/** What `$select` asks Graph for: exactly the fields read below. */
export const ENTRA_USER_SELECT = 'id,displayName,mail,userPrincipalName,userType,proxyAddresses';

/**
 * The mailbox an Entra ID user stands for, or undefined when the user has none to archive: guests
 * (`userType` Guest, their mailbox is in their home tenant) and users without `mail` (no
 * Exchange Online mailbox; Graph has no "has mailbox" flag, `mail` is the practical signal).
 * `accountEnabled` is not looked at: shared and room mailboxes are disabled accounts.
 */
export function entryOfUser(user: EntraUser): SourceEntry | undefined {
  if (user.userType?.toLowerCase() === 'guest') return undefined;
  const mail = user.mail?.trim();
  if (!mail) return undefined;
  const { primary, secondaries } = parseProxyAddresses(user.proxyAddresses ?? []);
  const primaryAddress = primary ?? mail;
  const key = primaryAddress.toLowerCase();
  const seen = new Set([key]);
  const secondaryAddresses = [
    ...(primary && primary.toLowerCase() !== mail.toLowerCase() ? [mail] : []),
    ...secondaries,
  ].filter((address) => {
    const addressKey = address.toLowerCase();
    if (seen.has(addressKey)) return false;
    seen.add(addressKey);
    return true;
  });
  return {
    externalId: user.id,
    primaryAddress,
    displayName: user.displayName?.trim() ?? '',
    secondaryAddresses,
  };
}

/**
 * Exchange proxy addresses: `SMTP:` (upper case) marks the primary SMTP address, `smtp:` the
 * others; other prefixes (`SIP:`, `X500:`, `x400:`, `SPO:`, …) are not mail addresses here.
 */
export function parseProxyAddresses(proxies: readonly string[]): {
  primary: string | undefined;
  secondaries: string[];
} {
  let primary: string | undefined;
  const secondaries: string[] = [];
  for (const proxy of proxies) {
    const colon = proxy.indexOf(':');
    if (colon < 0) continue;
    const prefix = proxy.slice(0, colon);
    const address = proxy.slice(colon + 1).trim();
    if (address === '') continue;
    if (prefix === 'SMTP' && primary === undefined) primary = address;
    else if (prefix.toLowerCase() === 'smtp') secondaries.push(address);
  }
  return { primary, secondaries };
}
