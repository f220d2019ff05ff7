import {
  BasePropertySet,
  ChangeType,
  ExtendedPropertyDefinition,
  Folder,
  FolderId,
  FolderSchema,
  MapiPropertyType,
  PropertySet,
  SearchFolder,
  WellKnownFolderName,
} from 'ews-javascript-api';

import type { MailboxEws } from '../protocol/ews-session.js';
import { EwsCallError } from '../protocol/parse-ews-error.js';

/** A mail folder of the mailbox, with its full display-name path (`Inbox/Projects/2026 Q4`). */
export interface ExchangeFolder {
  readonly id: string;
  readonly path: string;
  /** A well-known folder the profile's `excludeDefaults` skips. */
  readonly defaultExcluded: boolean;
}

/**
 * Folders skipped by `excludeDefaults`, found by their distinguished ids so it works in every
 * mailbox language: Deleted Items, Junk Email, Drafts and Outbox (as for Microsoft 365).
 */
const DEFAULT_EXCLUDED = [
  WellKnownFolderName.DeletedItems,
  WellKnownFolderName.JunkEmail,
  WellKnownFolderName.Drafts,
  WellKnownFolderName.Outbox,
];

/** PidTagAttributeHidden: set on folders Outlook does not show (system and sync folders). */
const HIDDEN = new ExtendedPropertyDefinition(0x10f4, MapiPropertyType.Boolean);

/**
 * Every mail folder under the top of the information store, by SyncFolderHierarchy from an empty
 * sync state (every folder arrives as a Create, parents first), following the sync state while
 * Exchange says more are available (IncludesLastFolderInRange false). The state is not kept
 * between runs: the folder list is small and read whole each time, and the per-folder item sync
 * states are what make a run incremental. Skipped with their subtrees: hidden folders, and search
 * folders should a server return one (Exchange leaves them out of SyncFolderHierarchy); skipped
 * alone: folders of other item types (Calendar `IPF.Appointment`, Contacts, Tasks, …). A folder
 * without a class is mail, as Exchange creates some that way.
 */
export async function listFolders(ews: MailboxEws): Promise<ExchangeFolder[]> {
  const excludedIds = await wellKnownIds(ews, DEFAULT_EXCLUDED);
  const properties = new PropertySet(BasePropertySet.IdOnly, [
    FolderSchema.DisplayName,
    FolderSchema.FolderClass,
    FolderSchema.ParentFolderId,
    HIDDEN,
  ]);
  const root = new FolderId(WellKnownFolderName.MsgFolderRoot);
  const found: Folder[] = [];
  let syncState = '';
  for (let more = true; more;) {
    const changes = await ews.call('SyncFolderHierarchy from the top of the information store', (service) =>
      service.SyncFolderHierarchy(root, properties, syncState),
    );
    for (const change of changes.GetEnumerator())
      if (change.ChangeType === ChangeType.Create && change.Folder) found.push(change.Folder);
    // A server that claims more without a new state would loop forever: stop instead.
    more = changes.MoreChangesAvailable && changes.SyncState !== syncState;
    syncState = changes.SyncState;
  }
  const byId = new Map(found.map((folder) => [folder.Id.UniqueId, folder]));
  const skipped = new Set<string>();
  const isSkipped = (folder: Folder): boolean => {
    if (skipped.has(folder.Id.UniqueId)) return true;
    const hidden = folder.ExtendedProperties.GetEnumerator().some(
      (property) => property.PropertyDefinition.Tag === HIDDEN.Tag && isTrue(property.Value),
    );
    const parent = byId.get(folder.ParentFolderId?.UniqueId ?? '');
    const skip = folder instanceof SearchFolder || hidden || (parent !== undefined && isSkipped(parent));
    if (skip) skipped.add(folder.Id.UniqueId);
    return skip;
  };
  const pathOf = (folder: Folder): string => {
    const parent = byId.get(folder.ParentFolderId?.UniqueId ?? '');
    return parent ? `${pathOf(parent)}/${folder.DisplayName}` : folder.DisplayName;
  };
  return found
    .filter((folder) => !isSkipped(folder) && isMail(folder))
    .map((folder) => ({
      id: folder.Id.UniqueId,
      path: pathOf(folder),
      defaultExcluded: excludedIds.has(folder.Id.UniqueId),
    }));
}

/** The library gives extended Boolean values as parsed booleans or as the wire text. */
const isTrue = (value: unknown): boolean => value === true || value === 'true';

function isMail(folder: Folder): boolean {
  const folderClass = folder.FolderClass ?? '';
  return folderClass === '' || folderClass === 'IPF.Note' || folderClass.startsWith('IPF.Note.');
}

/** The ids of distinguished folders; one a mailbox lacks (ErrorFolderNotFound) is left out. */
async function wellKnownIds(ews: MailboxEws, names: readonly WellKnownFolderName[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const name of names) {
    try {
      const folder = await ews.call(`GetFolder ${WellKnownFolderName[name]}`, (service) =>
        Folder.Bind(service, name, PropertySet.IdOnly),
      );
      ids.add(folder.Id.UniqueId);
    } catch (error) {
      if (error instanceof EwsCallError && error.failure.code === 'ErrorFolderNotFound') continue;
      throw error;
    }
  }
  return ids;
}
