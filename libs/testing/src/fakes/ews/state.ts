import { randomBytes } from 'node:crypto';

/**
 * The fake Exchange organisation: service accounts with their impersonation rights, and mailboxes
 * with the folder tree and items of an on-premises Exchange 2019 mailbox. Every change to a
 * folder's items is appended to that folder's change log; `SyncFolderItems` reads the log after
 * the position its sync state names.
 */

/** Distinguished folder ids (EWS `DistinguishedFolderIdNameType`) the fake creates in every mailbox. */
export type DistinguishedFolderName =
  | 'msgfolderroot'
  | 'inbox'
  | 'sentitems'
  | 'deleteditems'
  | 'drafts'
  | 'outbox'
  | 'junkemail'
  | 'conversationhistory'
  | 'syncissues'
  | 'calendar'
  | 'contacts'
  | 'tasks';

export interface EwsFolder {
  readonly id: string;
  changeKey: string;
  /** Undefined for the root (`msgfolderroot`, "Top of Information Store"). */
  readonly parentId: string | undefined;
  displayName: string;
  /** `IPF.Note` for mail; `IPF.Appointment`, `IPF.Contact`, … for the others. */
  readonly folderClass: string;
  readonly distinguished?: DistinguishedFolderName;
  /** PidTagAttributeHidden (0x10F4): set on folders Outlook does not show. */
  readonly hidden: boolean;
  /** A search folder (`t:SearchFolder`): a view over other folders, owning no items. */
  readonly search: boolean;
}

export interface EwsItem {
  readonly id: string;
  readonly changeKey: string;
  readonly folderId: string;
  readonly mime: Buffer;
  flagged: boolean;
  deleted: boolean;
}

type ChangeEvent = { readonly seq: number; readonly kind: 'create' | 'delete'; readonly itemId: string };

const WELL_KNOWN: readonly [DistinguishedFolderName, string, string][] = [
  ['inbox', 'Inbox', 'IPF.Note'],
  ['sentitems', 'Sent Items', 'IPF.Note'],
  ['deleteditems', 'Deleted Items', 'IPF.Note'],
  ['drafts', 'Drafts', 'IPF.Note'],
  ['outbox', 'Outbox', 'IPF.Note'],
  ['junkemail', 'Junk Email', 'IPF.Note'],
  ['conversationhistory', 'Conversation History', 'IPF.Note'],
  ['syncissues', 'Sync Issues', 'IPF.Note'],
  ['calendar', 'Calendar', 'IPF.Appointment'],
  ['contacts', 'Contacts', 'IPF.Contact'],
  ['tasks', 'Tasks', 'IPF.Task'],
];

/**
 * An EWS id as Exchange prints them: base64 of a binary entry id (the `AAMkA…` prefix of a
 * mailbox-store id), 150+ characters with `+`, `/` and `=`, opaque to clients.
 */
export function exchangeId(kind: 'folder' | 'item'): string {
  const prefix = Buffer.from([0x00, 0x03, 0x24, 0x00, kind === 'folder' ? 0x01 : 0x46, 0x00]);
  return Buffer.concat([prefix, randomBytes(kind === 'folder' ? 40 : 64)]).toString('base64');
}

const changeKey = (): string => `CQAAABYAAA${randomBytes(18).toString('base64')}`;

export class EwsMailbox {
  readonly folders = new Map<string, EwsFolder>();
  readonly items = new Map<string, EwsItem>();
  /** Bumped by `invalidateSyncStates`: every sync state issued before is refused. */
  syncEpoch = 1;
  private readonly changeLogs = new Map<string, ChangeEvent[]>();
  private sequence = 0;
  readonly root: EwsFolder;

  constructor(
    readonly smtpAddress: string,
    readonly displayName: string,
  ) {
    this.root = this.createFolder(undefined, 'Top of Information Store', {
      distinguished: 'msgfolderroot',
    });
    for (const [name, display, folderClass] of WELL_KNOWN) {
      this.createFolder(this.root.id, display, { distinguished: name, folderClass });
    }
  }

  distinguished(name: DistinguishedFolderName): EwsFolder {
    const folder = [...this.folders.values()].find((f) => f.distinguished === name);
    if (!folder) throw new Error(`no ${name} folder`);
    return folder;
  }

  /** Creates the folders of a `/`-separated path under the root (Inbox/… under the Inbox) as needed. */
  addFolder(
    path: string,
    options: { hidden?: boolean; folderClass?: string; search?: boolean } = {},
  ): EwsFolder {
    let parent = this.root;
    const segments = path.split('/');
    segments.forEach((segment, index) => {
      const last = index === segments.length - 1;
      const existing = [...this.folders.values()].find(
        (f) => f.parentId === parent.id && f.displayName === segment,
      );
      parent = existing ?? this.createFolder(parent.id, segment, last ? options : {});
    });
    return parent;
  }

  addMessage(folder: EwsFolder, mime: Buffer, options: { flagged?: boolean } = {}): EwsItem {
    if (folder.search) throw new Error('a search folder owns no items');
    const item: EwsItem = {
      id: exchangeId('item'),
      changeKey: changeKey(),
      folderId: folder.id,
      mime,
      flagged: options.flagged ?? false,
      deleted: false,
    };
    this.items.set(item.id, item);
    this.log(folder.id, 'create', item.id);
    return item;
  }

  /** HardDelete: the item is gone and its folder's log records a delete. */
  deleteItem(id: string): boolean {
    const item = this.items.get(id);
    if (!item || item.deleted) return false;
    item.deleted = true;
    this.log(item.folderId, 'delete', id);
    return true;
  }

  /** Items of a folder still present. */
  itemsIn(folder: EwsFolder): EwsItem[] {
    return [...this.items.values()].filter((item) => item.folderId === folder.id && !item.deleted);
  }

  /** Makes every sync state issued so far invalid (`ErrorInvalidSyncStateData` on its next use). */
  invalidateSyncStates(): void {
    this.syncEpoch += 1;
  }

  /** The changes of a folder after position `after`, and the position of the last one. */
  changesAfter(folderId: string, after: number): readonly ChangeEvent[] {
    return (this.changeLogs.get(folderId) ?? []).filter((event) => event.seq > after);
  }

  childrenOf(folderId: string): EwsFolder[] {
    return [...this.folders.values()].filter((f) => f.parentId === folderId);
  }

  private log(folderId: string, kind: ChangeEvent['kind'], itemId: string): void {
    this.sequence += 1;
    const log = this.changeLogs.get(folderId) ?? [];
    log.push({ seq: this.sequence, kind, itemId });
    this.changeLogs.set(folderId, log);
  }

  private createFolder(
    parentId: string | undefined,
    displayName: string,
    options: {
      distinguished?: DistinguishedFolderName;
      folderClass?: string;
      hidden?: boolean;
      search?: boolean;
    },
  ): EwsFolder {
    const folder: EwsFolder = {
      id: exchangeId('folder'),
      changeKey: changeKey(),
      parentId,
      displayName,
      folderClass: options.folderClass ?? 'IPF.Note',
      ...(options.distinguished !== undefined && { distinguished: options.distinguished }),
      hidden: options.hidden ?? false,
      search: options.search ?? false,
    };
    this.folders.set(folder.id, folder);
    return folder;
  }
}

/** A service account of the domain: what it logs in with and which mailboxes it may impersonate. */
export interface EwsServiceAccount {
  /** sAMAccountName, e.g. `svc-archive` (`CONTOSO\svc-archive` in Basic and NTLM). */
  readonly userName: string;
  /** userPrincipalName, e.g. `svc-archive@contoso.example` (also accepted as the login). */
  readonly userPrincipalName: string;
  password: string;
  /**
   * Mailboxes it may impersonate (SMTP addresses, lower case), or `all` for the
   * ApplicationImpersonation role without a management scope.
   */
  impersonates: 'all' | Set<string>;
}
