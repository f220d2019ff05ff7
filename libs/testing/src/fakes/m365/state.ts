import { guid, immutableId, restId } from './ids.js';

/**
 * The fake tenant's directory and mailboxes: plain data that tests seed and mutate directly, and
 * that the HTTP handlers read. Nothing here speaks HTTP.
 */

/** Application permissions (app roles) the fake checks; the names are Microsoft Graph's. */
export type GraphPermission =
  | 'Mail.Read'
  | 'Mail.ReadWrite'
  | 'Mail.ReadBasic.All'
  | 'User.Read.All'
  | 'GroupMember.Read.All'
  | 'Directory.Read.All';

export interface FakeApplication {
  readonly clientId: string;
  readonly displayName: string;
  /** Client secret values (not their ids) that the token endpoint accepts. */
  readonly secrets: string[];
  /** Registered certificates (PEM) for client assertions. */
  readonly certificates: string[];
  readonly permissions: Set<GraphPermission>;
  /**
   * An Application Access Policy / RBAC for Applications scope: the user ids whose mailboxes the
   * app may open. `undefined` = every mailbox.
   */
  mailboxScope: Set<string> | undefined;
}

export type WellKnownFolderName =
  | 'msgfolderroot'
  | 'inbox'
  | 'sentitems'
  | 'deleteditems'
  | 'junkemail'
  | 'drafts'
  | 'outbox'
  | 'archive'
  | 'conversationhistory'
  | 'searchfolders';

export interface FakeFolder {
  readonly id: string;
  readonly displayName: string;
  /** Undefined only for the root (msgfolderroot). */
  readonly parentFolderId: string | undefined;
  readonly wellKnownName: WellKnownFolderName | undefined;
  readonly isHidden: boolean;
  /** A search folder (`#microsoft.graph.mailSearchFolder`): a view over `sourceFolderIds`. */
  readonly sourceFolderIds: string[] | undefined;
}

export type FlagStatus = 'notFlagged' | 'flagged' | 'complete';

export interface FakeMessage {
  /** The REST id (changes on move in real Exchange; stable here). */
  readonly id: string;
  /** The immutable id, returned with `Prefer: IdType="ImmutableId"`. */
  readonly immutableId: string;
  folderId: string;
  /** The exact bytes `$value` returns. */
  readonly raw: Buffer;
  readonly receivedDateTime: string;
  readonly internetMessageId: string | undefined;
  readonly subject: string;
  flagStatus: FlagStatus;
  isRead: boolean;
  /** Set when the message is deleted; kept so paging snapshots stay stable. */
  deleted: boolean;
}

/** One change in a folder, in mailbox order: what message delta reports. */
export interface FolderChange {
  readonly sequence: number;
  readonly folderId: string;
  readonly messageId: string;
  readonly kind: 'created' | 'deleted';
}

export class FakeMailbox {
  readonly folders = new Map<string, FakeFolder>();
  readonly messages = new Map<string, FakeMessage>();
  /** Immutable id → REST id. */
  readonly byImmutableId = new Map<string, string>();
  readonly changes: FolderChange[] = [];
  /** False answers 404 `MailboxNotEnabledForRESTAPI` (unlicensed, on-premises, soft-deleted). */
  restEnabled = true;
  /** Bumped by `expireDeltaTokens`; delta and skip tokens of an older generation answer 410. */
  syncGeneration = 1;
  private sequence = 0;
  private receivedClock = Date.parse('2026-11-02T08:00:00Z');

  constructor() {
    const root = this.addFolderRecord('Top of Information Store', undefined, 'msgfolderroot', true);
    this.addFolderRecord('Inbox', root.id, 'inbox');
    this.addFolderRecord('Sent Items', root.id, 'sentitems');
    this.addFolderRecord('Deleted Items', root.id, 'deleteditems');
    this.addFolderRecord('Junk Email', root.id, 'junkemail');
    this.addFolderRecord('Drafts', root.id, 'drafts');
    this.addFolderRecord('Outbox', root.id, 'outbox');
    this.addFolderRecord('Archive', root.id, 'archive');
    this.addFolderRecord('Conversation History', root.id, 'conversationhistory');
    // Exchange keeps configuration in hidden folders under the root; clients must not archive them.
    this.addFolderRecord('Conversation Action Settings', root.id, undefined, true);
    this.addFolderRecord('Finder', root.id, 'searchfolders', true);
  }

  get root(): FakeFolder {
    return this.wellKnown('msgfolderroot');
  }

  wellKnown(name: WellKnownFolderName): FakeFolder {
    const folder = [...this.folders.values()].find((f) => f.wellKnownName === name);
    if (!folder) throw new Error(`no well-known folder ${name}`);
    return folder;
  }

  /** By id, well-known name (case-insensitive, as Graph) or `/`-separated display-name path. */
  folder(reference: string): FakeFolder | undefined {
    const byId = this.folders.get(reference);
    if (byId) return byId;
    const lower = reference.toLowerCase();
    const known = [...this.folders.values()].find((f) => f.wellKnownName === lower);
    if (known) return known;
    let current: FakeFolder | undefined = this.root;
    for (const name of reference.split('/')) {
      current = this.children(current.id).find((f) => f.displayName === name);
      if (!current) return undefined;
    }
    return current;
  }

  children(folderId: string): FakeFolder[] {
    return [...this.folders.values()].filter((f) => f.parentFolderId === folderId);
  }

  /** Creates `path` (display names separated by `/`) under the root, parents included. */
  addFolder(path: string, options: { hidden?: boolean } = {}): FakeFolder {
    let parent = this.root;
    const names = path.split('/');
    names.forEach((name, index) => {
      const existing = this.children(parent.id).find((f) => f.displayName === name);
      const last = index === names.length - 1;
      parent = existing ?? this.addFolderRecord(name, parent.id, undefined, last && options.hidden === true);
    });
    return parent;
  }

  /** A search folder under `parent` showing the messages of `sources`. */
  addSearchFolder(displayName: string, parent: FakeFolder, sources: FakeFolder[]): FakeFolder {
    return this.addFolderRecord(
      displayName,
      parent.id,
      undefined,
      false,
      sources.map((s) => s.id),
    );
  }

  addMessage(
    folderReference: string,
    raw: Buffer,
    options: { flagStatus?: FlagStatus; isRead?: boolean; receivedDateTime?: string } = {},
  ): FakeMessage {
    const folder = this.folder(folderReference);
    if (!folder) throw new Error(`fake mailbox has no folder ${folderReference}`);
    if (folder.sourceFolderIds) throw new Error('messages live in real folders, not search folders');
    this.receivedClock += 60_000;
    const headers = parseHeaders(raw);
    const message: FakeMessage = {
      id: restId(),
      immutableId: immutableId(),
      folderId: folder.id,
      raw,
      receivedDateTime:
        options.receivedDateTime ?? new Date(this.receivedClock).toISOString().replace('.000', ''),
      internetMessageId: headers.get('message-id'),
      subject: headers.get('subject') ?? '',
      flagStatus: options.flagStatus ?? 'notFlagged',
      isRead: options.isRead ?? false,
      deleted: false,
    };
    this.messages.set(message.id, message);
    this.byImmutableId.set(message.immutableId, message.id);
    this.record(folder.id, message.id, 'created');
    return message;
  }

  /** A message by REST or immutable id, deleted ones excluded. */
  message(id: string): FakeMessage | undefined {
    const message = this.messages.get(id) ?? this.messages.get(this.byImmutableId.get(id) ?? '');
    return message && !message.deleted ? message : undefined;
  }

  /** Live messages of a folder, in the order they arrived. */
  folderMessages(folderId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.folderId === folderId && !m.deleted);
  }

  /** Hard delete (what `permanentDelete` does, or a user emptying a folder behind the archive's back). */
  deleteMessage(id: string): void {
    const message = this.message(id);
    if (!message) return;
    message.deleted = true;
    this.record(message.folderId, message.id, 'deleted');
  }

  /** Moves to Deleted Items (what `DELETE /messages/{id}` does). */
  moveToDeletedItems(id: string): void {
    const message = this.message(id);
    if (!message) return;
    const target = this.wellKnown('deleteditems');
    this.record(message.folderId, message.id, 'deleted');
    message.folderId = target.id;
    this.record(target.id, message.id, 'created');
  }

  /** Evicts every delta and skip token of this mailbox: the next use answers 410 SyncStateNotFound. */
  expireDeltaTokens(): void {
    this.syncGeneration += 1;
  }

  get currentSequence(): number {
    return this.sequence;
  }

  private record(folderId: string, messageId: string, kind: FolderChange['kind']): void {
    this.sequence += 1;
    this.changes.push({ sequence: this.sequence, folderId, messageId, kind });
  }

  private addFolderRecord(
    displayName: string,
    parentFolderId: string | undefined,
    wellKnownName: WellKnownFolderName | undefined,
    isHidden = false,
    sourceFolderIds?: string[],
  ): FakeFolder {
    const folder: FakeFolder = {
      id: restId(),
      displayName,
      parentFolderId,
      wellKnownName,
      isHidden,
      sourceFolderIds,
    };
    this.folders.set(folder.id, folder);
    return folder;
  }
}

export interface FakeUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly mail: string | null;
  readonly accountEnabled: boolean;
  readonly userType: 'Member' | 'Guest';
  readonly proxyAddresses: string[];
  /** Undefined = no Exchange Online mailbox (guest, unlicensed): mail routes answer 404. */
  readonly mailbox: FakeMailbox | undefined;
}

export interface FakeGroup {
  readonly id: string;
  readonly displayName: string;
  readonly mail: string | null;
  readonly members: (FakeUser | FakeGroup)[];
}

export interface AddUserOptions {
  readonly displayName?: string;
  /** Default: the UPN for members, null for guests. */
  readonly mail?: string | null;
  readonly accountEnabled?: boolean;
  readonly userType?: 'Member' | 'Guest';
  readonly proxyAddresses?: string[];
  /** Default: true for members, false for guests. */
  readonly mailbox?: boolean;
}

export class FakeTenant {
  readonly id = guid();
  readonly applications = new Map<string, FakeApplication>();
  readonly users: FakeUser[] = [];
  readonly groups: FakeGroup[] = [];

  constructor(readonly domain: string) {}

  addApplication(
    options: {
      clientId?: string;
      displayName?: string;
      secrets?: string[];
      certificates?: string[];
      permissions?: GraphPermission[];
      mailboxScope?: FakeUser[];
    } = {},
  ): FakeApplication {
    const application: FakeApplication = {
      clientId: options.clientId ?? guid(),
      displayName: options.displayName ?? 'Mailkeep Archiver',
      secrets: options.secrets ?? [],
      certificates: options.certificates ?? [],
      permissions: new Set(
        options.permissions ?? ['Mail.ReadWrite', 'User.Read.All', 'GroupMember.Read.All'],
      ),
      mailboxScope: options.mailboxScope ? new Set(options.mailboxScope.map((u) => u.id)) : undefined,
    };
    this.applications.set(application.clientId, application);
    return application;
  }

  /** `localPart` becomes `localPart@domain`; guests get the `#EXT#` UPN Entra gives them. */
  addUser(localPart: string, options: AddUserOptions = {}): FakeUser {
    const userType = options.userType ?? 'Member';
    const address = `${localPart}@${this.domain}`;
    const userPrincipalName =
      userType === 'Guest' ? `${localPart}_external.test#EXT#@${this.domain}` : address;
    const mail = options.mail === undefined ? (userType === 'Guest' ? null : address) : options.mail;
    const user: FakeUser = {
      id: guid(),
      userPrincipalName,
      displayName:
        options.displayName ??
        localPart.replace(/(^|[.-])(\w)/g, (_, s: string, c: string) => `${s ? ' ' : ''}${c.toUpperCase()}`),
      mail,
      accountEnabled: options.accountEnabled ?? true,
      userType,
      proxyAddresses: options.proxyAddresses ?? (mail ? [`SMTP:${mail}`] : []),
      mailbox: (options.mailbox ?? userType === 'Member') ? new FakeMailbox() : undefined,
    };
    this.users.push(user);
    return user;
  }

  addGroup(displayName: string, members: (FakeUser | FakeGroup)[], mail: string | null = null): FakeGroup {
    const group: FakeGroup = { id: guid(), displayName, mail, members };
    this.groups.push(group);
    return group;
  }

  /** By object id or UPN (case-insensitive), as Graph resolves `/users/{id|userPrincipalName}`. */
  user(reference: string): FakeUser | undefined {
    const lower = reference.toLowerCase();
    return this.users.find((u) => u.id === lower || u.userPrincipalName.toLowerCase() === lower);
  }

  /** The mailbox of a user reference, for tests. */
  mailbox(reference: string): FakeMailbox {
    const mailbox = this.user(reference)?.mailbox;
    if (!mailbox) throw new Error(`fake user ${reference} has no mailbox`);
    return mailbox;
  }
}

/** Headers of a raw message, unfolded, lower-case names; the first occurrence wins. */
function parseHeaders(raw: Buffer): Map<string, string> {
  const text = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}
