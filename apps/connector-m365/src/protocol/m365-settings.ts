import type { ProfileOfType, ResolvedSecret } from '@mailkeep/contracts';
import { type AppRegistration, credentialFromSecret } from '@mailkeep/microsoft-graph';

import { DEFAULT_FOLDER_SELECTION, type FolderSelection } from '@mailkeep/connector-kit';

/**
 * What the connector reads of an `m365` profile (a task's, or a connection test's draft). The kit
 * has already checked these against `M365Settings` of libs/contracts (`checkProfileFor`): the GUIDs
 * are Entra GUIDs and `folders` is well-formed, so nothing here checks them again.
 */
export type M365Profile = Pick<
  ProfileOfType<'m365'>,
  'mode' | 'deleteInSource' | 'applicationId' | 'directoryId' | 'sourceMailbox' | 'folders'
>;

/** Everything the connector works with, derived from the profile and its secret in this one place. */
export interface M365Settings {
  readonly registration: AppRegistration;
  /** The mailbox opened in Graph (`/users/{this}`): `sourceMailbox` in single mode, else the archive mailbox's address. */
  readonly sourceMailbox: string;
  readonly folders: FolderSelection;
  readonly deleteInSource: boolean;
}

export function readM365Settings(
  profile: M365Profile,
  credentials: ResolvedSecret,
  mailboxAddress: string,
): M365Settings {
  const sourceMailbox = profile.mode === 'single' ? profile.sourceMailbox?.trim() : undefined;
  return {
    registration: {
      directoryId: profile.directoryId.trim(),
      clientId: profile.applicationId.trim(),
      credential: credentialFromSecret(credentials),
    },
    sourceMailbox: sourceMailbox || mailboxAddress,
    folders: profile.folders ?? DEFAULT_FOLDER_SELECTION,
    deleteInSource: profile.deleteInSource === true,
  };
}
