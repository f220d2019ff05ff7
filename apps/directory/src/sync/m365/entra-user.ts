import type { SourceEntry } from '../directory-source.js';
import { recipientAddresses } from '../exchange-addresses.js';

export { parseProxyAddresses } from '../exchange-addresses.js';

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
  const addresses = recipientAddresses([mail], user.proxyAddresses ?? []);
  if (!addresses) return undefined;
  return { externalId: user.id, displayName: user.displayName?.trim() ?? '', ...addresses };
}
