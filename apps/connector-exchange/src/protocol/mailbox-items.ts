import {
  BasePropertySet,
  DeleteMode,
  ExtendedPropertyDefinition,
  FolderId,
  ItemId,
  ItemSchema,
  MapiPropertyType,
  PropertySet,
  ServiceResult,
  SyncFolderItemsScope,
  ChangeType,
} from 'ews-javascript-api';

import type { MailboxEws } from './ews-session.js';
import { EwsCallError, parseEwsFailure } from './parse-ews-error.js';

/**
 * The item calls of an archive pass: a folder's changes by SyncFolderItems, one message's MIME by
 * GetItem, and HardDelete of archived messages.
 */

/** PidTagFlagStatus: 2 = flagged for follow-up (P10 keeps those in the source). */
const FLAG_STATUS = new ExtendedPropertyDefinition(0x1090, MapiPropertyType.Integer);
const FLAGGED = 2;

/** A message the folder's changes announce. */
export interface ChangedItem {
  readonly id: string;
  readonly flagged: boolean;
}

export interface SyncPage {
  /** Items created (or re-announced) in the folder, in the server's order. */
  readonly created: readonly ChangedItem[];
  /** The sync state after this page: the folder's cursor once the page is durable. */
  readonly syncState: string;
  readonly moreAvailable: boolean;
}

/** One SyncFolderItems call: at most `maxChanges` (1–512) changes after `syncState` (none: from the start). */
export async function syncFolderItems(
  ews: MailboxEws,
  folder: { readonly id: string; readonly path: string },
  syncState: string | undefined,
  maxChanges: number,
): Promise<SyncPage> {
  const properties = new PropertySet(BasePropertySet.IdOnly, [FLAG_STATUS]);
  const changes = await ews.call(`SyncFolderItems of ${folder.path}`, (service) =>
    service.SyncFolderItems(
      new FolderId(folder.id),
      properties,
      [],
      maxChanges,
      SyncFolderItemsScope.NormalItems,
      syncState ?? null!,
    ),
  );
  const created: ChangedItem[] = [];
  for (const change of changes.GetEnumerator()) {
    if (change.ChangeType !== ChangeType.Create) continue;
    const item = change.Item;
    const flag: { outValue: number | null } = { outValue: null };
    const flagged =
      item !== null && item !== undefined && item.ExtendedProperties.TryGetValue(FLAG_STATUS, flag)
        ? Number(flag.outValue) === FLAGGED
        : false;
    created.push({ id: change.ItemId.UniqueId, flagged });
  }
  return { created, syncState: changes.SyncState, moreAvailable: changes.MoreChangesAvailable };
}

/**
 * One message's MIME by GetItem, one item per call: EWS returns it base64 inside the XML, and the
 * library holds the response text, its parsed form and the base64 string at once, so a call
 * carrying several large messages multiplies the peak. Undefined when the message is gone.
 */
export async function fetchMime(ews: MailboxEws, id: string): Promise<Buffer | undefined> {
  const properties = new PropertySet(BasePropertySet.IdOnly, [ItemSchema.MimeContent]);
  const responses = await ews.call(
    `GetItem (MimeContent) of ${id.slice(0, 24)}…`,
    (service) => service.BindToItems([new ItemId(id)], properties),
    (collection) => collection.Responses,
  );
  const response = responses.Responses[0];
  if (!response) throw new Error('GetItem answered no response message');
  if (response.Result === ServiceResult.Error) {
    const failure = parseEwsFailure({ Response: response });
    if (failure.code === 'ErrorItemNotFound') return undefined;
    throw new EwsCallError(failure, `GetItem of ${id.slice(0, 24)}…`);
  }
  const content = response.Item.MimeContent?.Content;
  if (typeof content !== 'string') throw new Error('GetItem answered no MimeContent');
  return Buffer.from(content, 'base64');
}

/**
 * HardDelete (P10): the items are gone for good, not moved to Deleted Items (which an archive
 * would otherwise pick up again) nor kept in Recoverable Items. Returns the ids not deleted, with
 * why; an item already gone counts as deleted.
 */
export async function hardDelete(
  ews: MailboxEws,
  ids: readonly string[],
): Promise<{ id: string; error: string }[]> {
  if (ids.length === 0) return [];
  const responses = await ews.call(
    `DeleteItem (HardDelete) of ${ids.length} messages`,
    (service) =>
      service.DeleteItems(
        ids.map((id) => new ItemId(id)),
        DeleteMode.HardDelete,
        null!,
        null!,
      ),
    (collection) => collection.Responses,
  );
  const failed: { id: string; error: string }[] = [];
  responses.Responses.forEach((response, index) => {
    if (response.Result !== ServiceResult.Error) return;
    const failure = parseEwsFailure({ Response: response });
    if (failure.code !== 'ErrorItemNotFound')
      failed.push({ id: ids[index] ?? '', error: `${failure.code}: ${failure.message}` });
  });
  return failed;
}
