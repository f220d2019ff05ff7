import { DEFAULT_FOLDER_SELECTION, type FolderSelection } from '@mailkeep/connector-kit';
import type { ProfileOfType, ResolvedSecret } from '@mailkeep/contracts';
import {
  GOOGLE_SCOPES,
  type ServiceAccountKey,
  serviceAccountKeyFromSecret,
} from '@mailkeep/google-workspace';

import type { ProfileDraftOf } from '@mailkeep/connector-kit';

/** Everything the connector reads from a `google-workspace` profile (checked by the kit), in one place. */
export interface GoogleSettings {
  readonly key: ServiceAccountKey;
  /** The Gmail user impersonated (`sub`): `sourceMailbox` in single mode, else the archive mailbox's address. */
  readonly sourceMailbox: string;
  readonly folders: FolderSelection;
  readonly deleteInSource: boolean;
  /**
   * Read-only unless delete in source is on: permanent `messages.delete` / `batchDelete` need the
   * full-mailbox scope `https://mail.google.com/`, and asking for less is what an admin expects.
   */
  readonly scopes: readonly string[];
}

export function readGoogleSettings(
  profile: ProfileDraftOf<ProfileOfType<'google-workspace'>>,
  credentials: ResolvedSecret,
  mailboxAddress: string,
): GoogleSettings {
  const single = profile.mode !== 'multiple';
  const source = single && profile.sourceMailbox?.trim() ? profile.sourceMailbox.trim() : mailboxAddress;
  return {
    key: serviceAccountKeyFromSecret(credentials),
    sourceMailbox: source,
    folders: profile.folders ?? DEFAULT_FOLDER_SELECTION,
    deleteInSource: profile.deleteInSource,
    scopes: profile.deleteInSource ? [GOOGLE_SCOPES.gmailFull] : [GOOGLE_SCOPES.gmailReadonly],
  };
}
