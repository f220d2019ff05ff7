import { gunzipSync, gzipSync } from 'node:zlib';

import {
  EWS_ERRORS,
  type EwsError,
  errorMessage,
  escapeXml,
  successMessage,
  type XmlElement,
} from './soap.js';
import type { DistinguishedFolderName, EwsFolder, EwsItem, EwsMailbox } from './state.js';

/**
 * The EWS operations an archiver uses, answered from a mailbox's state. Each returns the response
 * messages (the part inside `m:ResponseMessages`); GetItem's MIME is left to the server to stream.
 */

/** EWS caps MaxChangesReturned of SyncFolderItems at 512 (MS docs, SyncFolderItems operation). */
export const MAX_CHANGES_RETURNED = 512;

/** PidTagAttributeHidden and PidTagFlagStatus, as `ExtendedFieldURI PropertyTag` names them. */
const HIDDEN_TAG = 0x10f4;
const FLAG_STATUS_TAG = 0x1090;

export class OperationError extends Error {
  constructor(readonly error: EwsError) {
    super(error.code);
  }
}

/** What a shape (`FolderShape` / `ItemShape`) asks for. */
interface Shape {
  readonly base: string;
  readonly fields: Set<string>;
  readonly tags: Set<number>;
}

function readShape(shape: XmlElement | undefined): Shape {
  const additional = shape?.child('AdditionalProperties');
  const tags = new Set<number>();
  for (const extended of additional?.children('ExtendedFieldURI') ?? []) {
    const tag = extended.attribute('PropertyTag');
    if (tag !== undefined) tags.add(Number(tag));
  }
  return {
    base: shape?.child('BaseShape')?.text().trim() ?? 'IdOnly',
    fields: new Set((additional?.children('FieldURI') ?? []).map((f) => f.attribute('FieldURI') ?? '')),
    tags,
  };
}

function folderXml(mailbox: EwsMailbox, folder: EwsFolder, shape: Shape): string {
  const wants = (field: string, inDefault: boolean): boolean =>
    shape.fields.has(field) || shape.base === 'AllProperties' || (inDefault && shape.base === 'Default');
  const element = folder.search ? 't:SearchFolder' : 't:Folder';
  const items = folder.search ? [] : mailbox.itemsIn(folder);
  let xml = `<${element}><t:FolderId Id="${folder.id}" ChangeKey="${folder.changeKey}"/>`;
  if (folder.parentId !== undefined && wants('folder:ParentFolderId', false))
    xml += `<t:ParentFolderId Id="${folder.parentId}" ChangeKey="${mailbox.folders.get(folder.parentId)?.changeKey ?? ''}"/>`;
  if (wants('folder:FolderClass', false))
    xml += `<t:FolderClass>${escapeXml(folder.folderClass)}</t:FolderClass>`;
  if (wants('folder:DisplayName', true))
    xml += `<t:DisplayName>${escapeXml(folder.displayName)}</t:DisplayName>`;
  if (wants('folder:TotalCount', true) && !folder.search)
    xml += `<t:TotalCount>${items.length}</t:TotalCount>`;
  if (wants('folder:ChildFolderCount', true))
    xml += `<t:ChildFolderCount>${mailbox.childrenOf(folder.id).length}</t:ChildFolderCount>`;
  if (shape.tags.has(HIDDEN_TAG) && folder.hidden)
    xml += `<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x10f4" PropertyType="Boolean"/><t:Value>true</t:Value></t:ExtendedProperty>`;
  if (wants('folder:UnreadCount', true) && !folder.search) xml += `<t:UnreadCount>0</t:UnreadCount>`;
  return `${xml}</${element}>`;
}

/** `t:FolderId` or `t:DistinguishedFolderId` (optionally with a `t:Mailbox`) → the folder. */
function resolveFolder(mailbox: EwsMailbox, reference: XmlElement): EwsFolder {
  const id = reference.attribute('Id') ?? '';
  const folder =
    reference.localName === 'DistinguishedFolderId'
      ? [...mailbox.folders.values()].find((f) => f.distinguished === (id as DistinguishedFolderName))
      : mailbox.folders.get(id);
  if (!folder) throw new OperationError(EWS_ERRORS.folderNotFound);
  return folder;
}

function folderReferences(container: XmlElement | undefined): XmlElement[] {
  return (container?.children() ?? []).filter(
    (c) => c.localName === 'FolderId' || c.localName === 'DistinguishedFolderId',
  );
}

export function findFolder(mailbox: EwsMailbox, request: XmlElement): string {
  const traversal = request.attribute('Traversal') ?? 'Shallow';
  const shape = readShape(request.child('FolderShape'));
  const view = request.child('IndexedPageFolderView');
  const max = Number(view?.attribute('MaxEntriesReturned') ?? '1000');
  const offset = Number(view?.attribute('Offset') ?? '0');
  return folderReferences(request.child('ParentFolderIds'))
    .map((reference) => {
      let parent: EwsFolder;
      try {
        parent = resolveFolder(mailbox, reference);
      } catch (error) {
        if (error instanceof OperationError) return errorMessage('FindFolder', error.error);
        throw error;
      }
      const found: EwsFolder[] = [];
      const walk = (id: string): void => {
        for (const child of mailbox.childrenOf(id)) {
          found.push(child);
          // Exchange does not descend into search folders: they are views, not containers.
          if (traversal === 'Deep' && !child.search) walk(child.id);
        }
      };
      walk(parent.id);
      const page = found.slice(offset, offset + max);
      const last = offset + page.length >= found.length;
      return successMessage(
        'FindFolder',
        `<m:RootFolder IndexedPagingOffset="${offset + page.length}" TotalItemsInView="${found.length}" IncludesLastItemInRange="${last}"><t:Folders>` +
          page.map((f) => folderXml(mailbox, f, shape)).join('') +
          `</t:Folders></m:RootFolder>`,
      );
    })
    .join('');
}

export function getFolder(mailbox: EwsMailbox, request: XmlElement): string {
  const shape = readShape(request.child('FolderShape'));
  return folderReferences(request.child('FolderIds'))
    .map((reference) => {
      try {
        const folder = resolveFolder(mailbox, reference);
        return successMessage('GetFolder', `<m:Folders>${folderXml(mailbox, folder, shape)}</m:Folders>`);
      } catch (error) {
        if (error instanceof OperationError) return errorMessage('GetFolder', error.error, '<m:Folders/>');
        throw error;
      }
    })
    .join('');
}

interface SyncState {
  /** A folder's items (SyncFolderItems) or the folders under it (SyncFolderHierarchy). */
  readonly scope: 'items' | 'hierarchy';
  readonly folderId: string;
  readonly position: number;
  readonly epoch: number;
}

/** Exchange's sync states are opaque base64 of a gzip stream (`H4sI…`); so are the fake's. */
function encodeSyncState(state: SyncState): string {
  return gzipSync(
    Buffer.from(JSON.stringify({ s: state.scope, f: state.folderId, p: state.position, e: state.epoch })),
  ).toString('base64');
}

function decodeSyncState(text: string): SyncState | undefined {
  try {
    const parsed = JSON.parse(gunzipSync(Buffer.from(text, 'base64')).toString('utf8')) as Record<
      string,
      unknown
    >;
    const scope = parsed['s'];
    if (
      (scope !== 'items' && scope !== 'hierarchy') ||
      typeof parsed['f'] !== 'string' ||
      typeof parsed['p'] !== 'number' ||
      typeof parsed['e'] !== 'number'
    )
      return undefined;
    return { scope, folderId: parsed['f'], position: parsed['p'], epoch: parsed['e'] };
  } catch {
    return undefined;
  }
}

/** A sync state the mailbox issued for this scope and folder, and not invalidated since. */
function validSyncState(
  mailbox: EwsMailbox,
  text: string,
  scope: SyncState['scope'],
  folder: EwsFolder,
): SyncState | undefined {
  const state = decodeSyncState(text);
  return state && state.scope === scope && state.folderId === folder.id && state.epoch === mailbox.syncEpoch
    ? state
    : undefined;
}

/**
 * Where a sync request starts: its SyncFolderId (SyncFolderHierarchy without one starts at the top
 * of the information store) and the position its SyncState names — or the error to answer.
 */
function syncStart(
  mailbox: EwsMailbox,
  request: XmlElement,
  scope: SyncState['scope'],
): { folder: EwsFolder; position: number } | SyncOutcome {
  const operation = scope === 'items' ? 'SyncFolderItems' : 'SyncFolderHierarchy';
  const reference = folderReferences(request.child('SyncFolderId'))[0];
  let folder: EwsFolder;
  try {
    if (!reference && scope === 'items') throw new OperationError(EWS_ERRORS.invalidRequest);
    folder = reference ? resolveFolder(mailbox, reference) : mailbox.root;
  } catch (error) {
    if (error instanceof OperationError)
      return { xml: errorMessage(operation, error.error), invalidSyncState: false };
    throw error;
  }
  const stateText = request.child('SyncState')?.text().trim() ?? '';
  if (stateText === '') return { folder, position: 0 };
  const state = validSyncState(mailbox, stateText, scope, folder);
  if (!state) return { xml: errorMessage(operation, EWS_ERRORS.invalidSyncState), invalidSyncState: true };
  return { folder, position: state.position };
}

/**
 * Folders per SyncFolderHierarchy response. Exchange may split a large hierarchy over several
 * responses (IncludesLastFolderInRange false); the fake does it from 10 folders on, so a seeded
 * mailbox (a dozen folders) already makes a client follow the sync state.
 */
export const HIERARCHY_CHANGES_PER_RESPONSE = 10;

/**
 * SyncFolderHierarchy from a folder (`msgfolderroot` when no SyncFolderId is given): every folder
 * below it as a `t:Create` on a first sync, parents before children (creation order); a sync state
 * names how many of them the client has seen. Search folders are not returned, as in Exchange.
 * Folders are never renamed, moved or deleted in the fake, so there are no Update/Delete changes.
 */
export function syncFolderHierarchy(mailbox: EwsMailbox, request: XmlElement): SyncOutcome {
  const shape = readShape(request.child('FolderShape'));
  const start = syncStart(mailbox, request, 'hierarchy');
  if ('xml' in start) return start;
  const { folder: root, position } = start;
  const below = (folder: EwsFolder): boolean => {
    for (let parent = folder.parentId; parent !== undefined; parent = mailbox.folders.get(parent)?.parentId)
      if (parent === root.id) return true;
    return false;
  };
  // Map order is creation order: a parent always comes before its children.
  const descendants = [...mailbox.folders.values()].filter((f) => !f.search && below(f));
  const page = descendants.slice(position, position + HIERARCHY_CHANGES_PER_RESPONSE);
  const reached = position + page.length;
  const next = encodeSyncState({
    scope: 'hierarchy',
    folderId: root.id,
    position: reached,
    epoch: mailbox.syncEpoch,
  });
  return {
    xml: successMessage(
      'SyncFolderHierarchy',
      `<m:SyncState>${next}</m:SyncState><m:IncludesLastFolderInRange>${reached >= descendants.length}</m:IncludesLastFolderInRange><m:Changes>` +
        page.map((f) => `<t:Create>${folderXml(mailbox, f, shape)}</t:Create>`).join('') +
        `</m:Changes>`,
    ),
    invalidSyncState: false,
  };
}

function itemXml(item: EwsItem, shape: Shape): string {
  let xml = `<t:Message><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/>`;
  if (shape.fields.has('item:Size')) xml += `<t:Size>${item.mime.length}</t:Size>`;
  if (shape.tags.has(FLAG_STATUS_TAG) && item.flagged)
    xml += `<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x1090" PropertyType="Integer"/><t:Value>2</t:Value></t:ExtendedProperty>`;
  if (shape.fields.has('item:Flag'))
    xml += `<t:Flag><t:FlagStatus>${item.flagged ? 'Flagged' : 'NotFlagged'}</t:FlagStatus></t:Flag>`;
  return `${xml}</t:Message>`;
}

/** A sync operation's response messages, and whether it refused the client's sync state. */
export interface SyncOutcome {
  readonly xml: string;
  readonly invalidSyncState: boolean;
}

export function syncFolderItems(mailbox: EwsMailbox, request: XmlElement): SyncOutcome {
  const shape = readShape(request.child('ItemShape'));
  const max = Number(request.child('MaxChangesReturned')?.text() ?? 'NaN');
  if (!Number.isInteger(max) || max < 1 || max > MAX_CHANGES_RETURNED) {
    return { xml: errorMessage('SyncFolderItems', EWS_ERRORS.invalidArgument), invalidSyncState: false };
  }
  const start = syncStart(mailbox, request, 'items');
  if ('xml' in start) return start;
  const { folder, position } = start;
  const events = mailbox.changesAfter(folder.id, position);
  // Items created before `position` the client knows; created after and already deleted it
  // never needs to hear about (Exchange coalesces such pairs within one sync window).
  const createdAfter = new Set(events.filter((e) => e.kind === 'create').map((e) => e.itemId));
  const changes: string[] = [];
  let reached = position;
  for (const event of events) {
    if (changes.length >= max) break;
    reached = event.seq;
    const item = mailbox.items.get(event.itemId);
    if (!item) continue;
    if (event.kind === 'create' && !item.deleted)
      changes.push(`<t:Create>${itemXml(item, shape)}</t:Create>`);
    if (event.kind === 'delete' && !createdAfter.has(item.id))
      changes.push(`<t:Delete><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/></t:Delete>`);
  }
  const last = events.every((event) => event.seq <= reached);
  const next = encodeSyncState({
    scope: 'items',
    folderId: folder.id,
    position: reached,
    epoch: mailbox.syncEpoch,
  });
  return {
    xml: successMessage(
      'SyncFolderItems',
      `<m:SyncState>${next}</m:SyncState><m:IncludesLastItemInRange>${last}</m:IncludesLastItemInRange><m:Changes>${changes.join('')}</m:Changes>`,
    ),
    invalidSyncState: false,
  };
}

/** The ids of a GetItem / DeleteItem request, in order. */
export function requestedItemIds(request: XmlElement): string[] {
  return (request.child('ItemIds')?.children('ItemId') ?? []).map((id) => id.attribute('Id') ?? '');
}

/** Whether a GetItem asks for the MIME content. */
export function wantsMime(request: XmlElement): boolean {
  return readShape(request.child('ItemShape')).fields.has('item:MimeContent');
}

export function deleteItems(
  mailbox: EwsMailbox,
  request: XmlElement,
  onDeleted: (id: string, deleteType: string) => void,
): string {
  const deleteType = request.attribute('DeleteType') ?? '';
  return requestedItemIds(request)
    .map((id) => {
      if (!mailbox.deleteItem(id)) return errorMessage('DeleteItem', EWS_ERRORS.itemNotFound);
      onDeleted(id, deleteType);
      return successMessage('DeleteItem', '');
    })
    .join('');
}
