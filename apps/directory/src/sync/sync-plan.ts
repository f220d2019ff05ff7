import type { MailAddress, SyncAction, SyncChangePayload, SyncEntryErrorPayload } from '@mailkeep/contracts';

import { checkDisplayName, checkMailboxAddresses } from '../mailboxes/mailbox-addresses.js';
import type { SourceEntry } from './directory-source.js';

/** A mailbox of the directory service as it is now. */
export interface Member {
  readonly id: string;
  readonly externalId: string | null;
  readonly primaryAddress: string;
  readonly addressKey: string;
  readonly secondaryAddresses: readonly string[];
  readonly displayName: string;
  readonly enabled: boolean;
}

/** Which mailbox of the tenant owns an address key now. */
export interface AddressOwner {
  readonly mailboxId: string;
  readonly primaryAddress: string;
}

/** One mailbox to write: a new one (no `mailboxId`) or a member as it must become. */
export interface PlannedWrite {
  readonly action: SyncAction;
  readonly mailboxId?: string;
  readonly externalId: string | null;
  readonly primary: MailAddress;
  readonly secondaries: readonly MailAddress[];
  readonly displayName: string;
  readonly enabled: boolean;
}

export interface SyncPlan {
  readonly writes: PlannedWrite[];
  unchanged: number;
  readonly errors: SyncEntryErrorPayload[];
}

/**
 * Compares a source with the service's members (SPEC D4), deciding per entry create, update,
 * disable (an entry the source turned off) or unchanged, and per member gone from the source disable (with disableMissing) or unchanged.
 * Entries are matched to members by their source id, then by primary address; addresses compare
 * case-insensitively. An entry that cannot apply (invalid address, an address of another mailbox
 * of the tenant or of an earlier entry) becomes an error and the rest goes on. Never deletes.
 */
export function planSync(input: {
  readonly entries: readonly SourceEntry[];
  readonly members: readonly Member[];
  readonly owners: ReadonlyMap<string, AddressOwner>;
  readonly disableMissing: boolean;
}): SyncPlan {
  const plan: SyncPlan = { writes: [], unchanged: 0, errors: [] };
  const byExternalId = new Map(input.members.filter((m) => m.externalId).map((m) => [m.externalId, m]));
  const byAddress = new Map(input.members.map((m) => [m.addressKey, m]));
  const sourceIds = new Set(input.entries.map((e) => e.externalId));
  const seen = new Set<string>();
  const claimedBy = new Map<string, string>();

  for (const entry of input.entries) {
    const name = entry.primaryAddress.trim() || entry.externalId;
    const fail = (message: string): void => void plan.errors.push({ entry: name, message });
    const addresses = checkMailboxAddresses(entry.primaryAddress, entry.secondaryAddresses);
    const displayName = checkDisplayName(entry.displayName);
    if ('errors' in addresses || 'error' in displayName) {
      const errors = [
        ...('errors' in addresses ? addresses.errors : []),
        ...('error' in displayName ? [displayName.error] : []),
      ];
      fail(errors.map((e) => e.message).join('; '));
      continue;
    }
    const { primary, secondaries, keys } = addresses.value;
    const clash = keys.find((key) => claimedBy.has(key));
    if (clash !== undefined) {
      fail(`the address ${clash} is also an address of ${claimedBy.get(clash) ?? ''} in the source`);
      continue;
    }
    for (const key of keys) claimedBy.set(key, primary.address);

    const member =
      byExternalId.get(entry.externalId) ?? unclaimed(byAddress.get(primary.key), seen, sourceIds);
    if (member) seen.add(member.id);
    const taken = keys.find((key) => {
      const owner = input.owners.get(key);
      return owner !== undefined && owner.mailboxId !== member?.id;
    });
    if (taken !== undefined) {
      fail(
        `the address ${taken} is already used by mailbox ${input.owners.get(taken)?.primaryAddress ?? ''}`,
      );
      continue;
    }
    const wanted = {
      externalId: entry.externalId,
      primary,
      secondaries,
      displayName: displayName.value,
      enabled: entry.enabled ?? true,
    };
    if (!member) {
      plan.writes.push({ action: 'create', ...wanted });
    } else if (isUnchanged(member, wanted)) {
      plan.unchanged++;
    } else {
      // An entry the source turned off (a suspended user) disables its mailbox: reported as such.
      const action = member.enabled && !wanted.enabled ? 'disable' : 'update';
      plan.writes.push({ action, mailboxId: member.id, ...wanted });
    }
  }

  for (const member of input.members) {
    if (seen.has(member.id)) continue;
    if (!input.disableMissing || !member.enabled) {
      plan.unchanged++;
      continue;
    }
    plan.writes.push({
      action: 'disable',
      mailboxId: member.id,
      externalId: member.externalId,
      primary: { address: member.primaryAddress, key: member.addressKey },
      secondaries: member.secondaryAddresses.map((address) => ({ address, key: address.toLowerCase() })),
      displayName: member.displayName,
      enabled: false,
    });
  }
  return plan;
}

/** The change as the answer lists it. */
export function changeOf(write: PlannedWrite): SyncChangePayload {
  return {
    action: write.action,
    primaryAddress: write.primary.address,
    displayName: write.displayName,
    secondaryAddresses: write.secondaries.map((s) => s.address),
    enabled: write.enabled,
  };
}

/**
 * A member found by primary address is taken once, and only when no entry of the source has its
 * source id (e.g. a user deleted and created again with the same address becomes that mailbox).
 */
function unclaimed(
  member: Member | undefined,
  seen: ReadonlySet<string>,
  sourceIds: ReadonlySet<string>,
): Member | undefined {
  if (!member || seen.has(member.id)) return undefined;
  return member.externalId && sourceIds.has(member.externalId) ? undefined : member;
}

/** Addresses compare as keys (case-insensitively) and secondaries as a set: no churn from case or order. */
function isUnchanged(
  member: Member,
  wanted: {
    externalId: string;
    primary: MailAddress;
    secondaries: readonly MailAddress[];
    displayName: string;
    enabled: boolean;
  },
): boolean {
  const current = member.secondaryAddresses.map((a) => a.toLowerCase()).sort();
  const next = wanted.secondaries.map((a) => a.key).sort();
  return (
    member.enabled === wanted.enabled &&
    member.externalId === wanted.externalId &&
    member.addressKey === wanted.primary.key &&
    member.displayName === wanted.displayName &&
    current.length === next.length &&
    current.every((key, index) => key === next[index])
  );
}
