import { type ArchivingProfile, ContractError } from '@mailkeep/contracts';

import type { RemoteServices } from '../ports/remote-services.js';

/** One page of the mailboxes a run covers, and where the next page starts. */
export interface MailboxPage {
  readonly mailboxIds: readonly string[];
  readonly nextCursor: string | null;
}

/**
 * The mailboxes a run covers (SC3), page by page from `cursor` (where an interrupted dispatch
 * stopped): the profile's mailbox in single mode, the directory service's enabled mailboxes in
 * multiple mode. A page dispatched again after a crash creates no task twice (one task per
 * mailbox and run), so starting over from an older cursor is safe.
 */
export async function* mailboxPages(
  remote: RemoteServices,
  tenantId: string,
  profile: ArchivingProfile,
  cursor: string | null,
): AsyncGenerator<MailboxPage> {
  if (profile.mode === 'single') {
    if (!profile.mailboxId) throw invalidProfile('has no mailbox');
    yield { mailboxIds: [profile.mailboxId], nextCursor: null };
    return;
  }
  if (!profile.directoryServiceId) throw invalidProfile('has no directory service');
  let next = cursor;
  do {
    const page = await remote.mailboxPage(tenantId, profile.directoryServiceId, next);
    next = page.nextCursor;
    yield { mailboxIds: page.items.map((mailbox) => mailbox.id), nextCursor: next };
  } while (next !== null);
}

function invalidProfile(what: string): ContractError {
  return new ContractError('RULE_VIOLATION', `The profile ${what}`, { reason: 'profile_incomplete' });
}
