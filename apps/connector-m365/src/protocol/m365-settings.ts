import { ContractError, type ResolvedSecret } from '@mailkeep/contracts';
import { type AppRegistration, credentialFromSecret } from '@mailkeep/microsoft-graph';

import { type FolderSelection, readFolderSelection } from '@mailkeep/connector-kit';

/**
 * Everything the connector reads from an `m365` profile, in this one place: the profiles service
 * is moving from the flat `ArchivingProfile` to typed per-type settings, and only this function
 * changes when it does. It also receives connection-test drafts as plain records, so it checks
 * what the connector relies on and names the field that is wrong.
 */
export interface M365Settings {
  readonly registration: AppRegistration;
  /** The mailbox opened in Graph (`/users/{this}`): `sourceMailbox` in single mode, else the archive mailbox's address. */
  readonly sourceMailbox: string;
  readonly folders: FolderSelection;
  readonly deleteInSource: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tenant is named by its GUID or one of its domains (`contoso.onmicrosoft.com`). */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const invalid = (field: string, message: string): ContractError =>
  ContractError.validation([{ field, message }], `Profile ${field}: ${message}`);

export function readM365Settings(
  profile: Readonly<Record<string, unknown>>,
  credentials: ResolvedSecret,
  mailboxAddress: string,
): M365Settings {
  const clientId = profile['applicationId'];
  if (typeof clientId !== 'string' || !GUID.test(clientId.trim())) {
    throw invalid('applicationId', 'must be the application (client) id, a GUID');
  }
  const directoryId = profile['directoryId'];
  if (
    typeof directoryId !== 'string' ||
    !(GUID.test(directoryId.trim()) || DOMAIN.test(directoryId.trim()))
  ) {
    throw invalid('directoryId', 'must be the directory (tenant) id, a GUID, or one of its domains');
  }
  const single = profile['mode'] !== 'multiple';
  const source =
    single && typeof profile['sourceMailbox'] === 'string' && profile['sourceMailbox'].trim() !== ''
      ? profile['sourceMailbox'].trim()
      : mailboxAddress;
  return {
    registration: {
      directoryId: directoryId.trim(),
      clientId: clientId.trim(),
      credential: credentialFromSecret(credentials),
    },
    sourceMailbox: source,
    folders: readFolderSelection(profile['folders'], invalid),
    deleteInSource: profile['deleteInSource'] === true,
  };
}
