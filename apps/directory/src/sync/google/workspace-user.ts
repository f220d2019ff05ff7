import type { SourceEntry } from '../directory-source.js';

/** The fields of an Admin SDK Directory `User` resource the sync reads, as Google sends them. */
export interface WorkspaceUser {
  /** Google's immutable user id (digits, e.g. `114893264856789012345`). */
  readonly id: string;
  readonly primaryEmail: string;
  readonly name?: {
    readonly fullName?: string;
    readonly displayName?: string;
    readonly givenName?: string;
    readonly familyName?: string;
  };
  readonly suspended?: boolean;
  readonly archived?: boolean;
  /** Whether the user's Gmail mailbox exists (only users with a Gmail licence have one). */
  readonly isMailboxSetup?: boolean;
  /** The user's own aliases (editable in the Admin console). */
  readonly aliases?: readonly string[];
  /** Addresses Google derives, e.g. the user's address in each domain alias of the account. */
  readonly nonEditableAliases?: readonly string[];
}

/**
 * The mailbox a Workspace user stands for, or undefined when the user has no Gmail mailbox
 * (`isMailboxSetup` false: no Gmail licence, or the mailbox is not created yet).
 *
 * A suspended or archived user keeps their mailbox at Google but cannot be archived: Google
 * refuses to issue a delegated token for them (`invalid_grant`). Their mailbox is kept (or
 * created) disabled, whatever `disableMissing` says, and enabled again when the user is restored:
 * the archived mail stays, and runs do not fail on them meanwhile.
 *
 * Aliases and non-editable aliases (domain-alias addresses) are the secondary addresses, without
 * the primary and without repeats in any case.
 */
export function entryOfWorkspaceUser(user: WorkspaceUser): SourceEntry | undefined {
  if (user.isMailboxSetup === false) return undefined;
  const primaryAddress = user.primaryEmail.trim();
  const seen = new Set([primaryAddress.toLowerCase()]);
  const secondaryAddresses = [...(user.aliases ?? []), ...(user.nonEditableAliases ?? [])]
    .map((address) => address.trim())
    .filter((address) => {
      const key = address.toLowerCase();
      if (address === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return {
    externalId: user.id,
    primaryAddress,
    displayName: displayNameOf(user),
    secondaryAddresses,
    enabled: user.suspended !== true && user.archived !== true,
  };
}

/** The name a person set to be shown, else the full name, else given and family name. */
function displayNameOf(user: WorkspaceUser): string {
  const name = user.name;
  const parts = [name?.givenName?.trim(), name?.familyName?.trim()].filter(Boolean).join(' ');
  return name?.displayName?.trim() || name?.fullName?.trim() || parts;
}
