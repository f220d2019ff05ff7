import { randomBytes } from 'node:crypto';

/**
 * The fake Workspace: domains, users, service accounts and Gmail mailboxes as plain data that
 * tests seed and mutate directly and that the route files read. Nothing here speaks HTTP.
 */

/** Gmail's system labels (developers.google.com/gmail/api/guides/labels). */
export const SYSTEM_LABELS = [
  'INBOX',
  'SENT',
  'DRAFT',
  'SPAM',
  'TRASH',
  'UNREAD',
  'STARRED',
  'IMPORTANT',
  'CHAT',
  'CATEGORY_PERSONAL',
  'CATEGORY_SOCIAL',
  'CATEGORY_PROMOTIONS',
  'CATEGORY_UPDATES',
  'CATEGORY_FORUMS',
] as const;

export interface FakeLabel {
  /** System labels use their name as id; user labels `Label_<n>`. */
  readonly id: string;
  name: string;
  readonly type: 'system' | 'user';
}

export interface FakeGmailMessage {
  /** 16 lowercase hex digits, as Gmail's ids look. */
  readonly id: string;
  readonly threadId: string;
  /** The exact RFC 822 bytes `format=raw` returns (base64url). */
  readonly raw: Buffer;
  /** Epoch ms: Gmail's `internalDate` (sent as a string). */
  readonly internalDate: number;
  labelIds: Set<string>;
  /** History id of the message's last change. */
  historyId: number;
  /** Set by delete; kept so paging snapshots stay stable. */
  deleted: boolean;
}

/** One `history` record, as history.list returns it. */
export interface FakeHistoryRecord {
  readonly id: number;
  readonly messageId: string;
  readonly kind: 'messageAdded' | 'messageDeleted';
}

export class FakeGmailMailbox {
  readonly labels = new Map<string, FakeLabel>();
  readonly messages = new Map<string, FakeGmailMessage>();
  readonly history: FakeHistoryRecord[] = [];
  /** Gmail's history ids grow with gaps; the fake steps by a few. */
  historyId = 1_000 + Math.floor(Math.random() * 1_000);
  /** History before this id has expired: history.list from an older start answers 404. */
  historyFloor = 0;
  private userLabels = 0;

  constructor() {
    for (const name of SYSTEM_LABELS) this.labels.set(name, { id: name, name, type: 'system' });
  }

  /** A user label (`Projects/2026` is nested by its `/`, as Gmail shows it); existing one by name. */
  addLabel(name: string): FakeLabel {
    const existing = [...this.labels.values()].find((l) => l.name === name);
    if (existing) return existing;
    this.userLabels += 1;
    const label: FakeLabel = { id: `Label_${this.userLabels}`, name, type: 'user' };
    this.labels.set(label.id, label);
    return label;
  }

  /** Resolves label names or ids (`INBOX`, `Receipts`) to ids, creating user labels as needed. */
  labelIds(labels: readonly string[]): string[] {
    return labels.map((l) => (this.labels.has(l) ? l : this.addLabel(l).id));
  }

  /** Delivers a message with these labels (names or ids), recording `messageAdded` history. */
  addMessage(
    raw: Buffer,
    labels: readonly string[] = ['INBOX'],
    internalDate = Date.now(),
  ): FakeGmailMessage {
    const id = hexId();
    const historyId = this.nextHistoryId();
    const message: FakeGmailMessage = {
      id,
      threadId: id,
      raw,
      internalDate,
      labelIds: new Set(this.labelIds(labels)),
      historyId,
      deleted: false,
    };
    this.messages.set(id, message);
    this.history.push({ id: historyId, messageId: id, kind: 'messageAdded' });
    return message;
  }

  /** Permanent delete (messages.delete): recorded as `messageDeleted`. */
  deleteMessage(id: string): boolean {
    const message = this.messages.get(id);
    if (!message || message.deleted) return false;
    message.deleted = true;
    this.history.push({ id: this.nextHistoryId(), messageId: id, kind: 'messageDeleted' });
    return true;
  }

  /** Messages still in the mailbox, newest first (Gmail's list order). */
  live(): FakeGmailMessage[] {
    return [...this.messages.values()]
      .filter((m) => !m.deleted)
      .sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
  }

  /** Makes every history id issued so far too old (what Gmail does after about a week). */
  expireHistory(): void {
    this.historyFloor = this.nextHistoryId();
  }

  private nextHistoryId(): number {
    this.historyId += 1 + Math.floor(Math.random() * 5);
    return this.historyId;
  }
}

export interface FakeGoogleUser {
  /** 21 digits, as the Admin SDK's user ids look. */
  readonly id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  aliases: string[];
  suspended: boolean;
  archived: boolean;
  orgUnitPath: string;
  isAdmin: boolean;
  /** Undefined: the user has no Gmail (Gmail off for the org unit, no licence): 400 failedPrecondition. */
  mailbox: FakeGmailMailbox | undefined;
}

export interface AddUserOptions {
  readonly givenName?: string;
  readonly familyName?: string;
  /** Default true. */
  readonly gmail?: boolean;
  readonly suspended?: boolean;
  readonly isAdmin?: boolean;
  readonly aliases?: readonly string[];
  readonly orgUnitPath?: string;
}

export type GroupRole = 'OWNER' | 'MANAGER' | 'MEMBER';

/** A member of a group as the fake keeps it; members.list shows each as a `Member` resource. */
export type FakeGroupMember =
  | { readonly kind: 'user'; readonly of: FakeGoogleUser; readonly role: GroupRole }
  | { readonly kind: 'group'; readonly of: FakeGoogleGroup; readonly role: GroupRole }
  /** "All users in the organisation" added as one member (type CUSTOMER). */
  | { readonly kind: 'customer'; readonly role: GroupRole }
  /** Someone outside the Workspace account (a partner's address). */
  | { readonly kind: 'external'; readonly id: string; readonly email: string; readonly role: GroupRole };

export interface FakeGoogleGroup {
  /** 15 lower-case letters and digits, as the Admin SDK's group ids look. */
  readonly id: string;
  email: string;
  name: string;
  aliases: string[];
  readonly members: FakeGroupMember[];
}

/** What `addGroup` takes as a member: a user or group of the domain, the whole organisation, or an outside address. */
export type GroupMemberInput = FakeGoogleUser | FakeGoogleGroup | 'customer' | { readonly external: string };

/** A Workspace customer's primary domain, its users and groups. */
export class FakeGoogleDomain {
  readonly users: FakeGoogleUser[] = [];
  readonly groups: FakeGoogleGroup[] = [];
  /**
   * Domain aliases of the account: each user also receives mail at `local@<alias>`, which the
   * Admin SDK lists among the user's `nonEditableAliases`.
   */
  readonly aliasDomains: string[] = [];
  /** `C0` followed by 7 characters, as Workspace customer ids look. */
  readonly customerId = `C0${randomBytes(4).toString('hex').slice(0, 7)}`;

  constructor(readonly name: string) {}

  /** A group `local@<domain>` with these members (role MEMBER); push to `members` for more. */
  addGroup(local: string, members: readonly GroupMemberInput[] = []): FakeGoogleGroup {
    const group: FakeGoogleGroup = {
      id: `0${randomBytes(8).toString('hex').slice(0, 14)}`,
      email: `${local}@${this.name}`,
      name: local,
      aliases: [],
      members: members.map((member): FakeGroupMember => {
        if (member === 'customer') return { kind: 'customer', role: 'MEMBER' };
        if ('external' in member)
          return { kind: 'external', id: numericId(21), email: member.external, role: 'MEMBER' };
        if ('members' in member) return { kind: 'group', of: member, role: 'MEMBER' };
        return { kind: 'user', of: member, role: 'MEMBER' };
      }),
    };
    this.groups.push(group);
    return group;
  }

  /** By email, alias or id, case-insensitively (as Google resolves `groupKey`). */
  group(key: string): FakeGoogleGroup | undefined {
    const wanted = key.toLowerCase();
    return this.groups.find(
      (g) =>
        g.id === wanted ||
        g.email.toLowerCase() === wanted ||
        g.aliases.some((a) => a.toLowerCase() === wanted),
    );
  }

  addUser(local: string, options: AddUserOptions = {}): FakeGoogleUser {
    const capitalised = local.charAt(0).toUpperCase() + local.slice(1);
    const user: FakeGoogleUser = {
      id: numericId(21),
      primaryEmail: `${local}@${this.name}`,
      givenName: options.givenName ?? capitalised,
      familyName: options.familyName ?? 'Example',
      aliases: [...(options.aliases ?? [])],
      suspended: options.suspended ?? false,
      archived: false,
      orgUnitPath: options.orgUnitPath ?? '/',
      isAdmin: options.isAdmin ?? false,
      mailbox: options.gmail === false ? undefined : new FakeGmailMailbox(),
    };
    this.users.push(user);
    return user;
  }

  /** By primary email, alias or id, case-insensitively (as Google resolves `userKey` and `sub`). */
  user(reference: string): FakeGoogleUser | undefined {
    const wanted = reference.toLowerCase();
    return this.users.find(
      (u) =>
        u.id === reference ||
        u.primaryEmail.toLowerCase() === wanted ||
        u.aliases.some((a) => a.toLowerCase() === wanted),
    );
  }
}

/** A service account of the fake Cloud project, with the delegation an admin granted it. */
export interface FakeServiceAccount {
  readonly clientEmail: string;
  /** The numeric client id an admin grants domain-wide delegation to. */
  readonly clientId: string;
  /** Current keys by `private_key_id`: SPKI PEM public keys. Delete one to revoke the key. */
  readonly publicKeys: Map<string, string>;
  /** The domain whose users it may impersonate once granted. */
  readonly domain: FakeGoogleDomain;
  /** Scopes granted under domain-wide delegation; empty = no delegation. */
  readonly delegatedScopes: Set<string>;
}

export function hexId(): string {
  // Gmail ids start with a non-zero hex digit and have 16 digits.
  return `1${randomBytes(8).toString('hex').slice(1)}`;
}

export function numericId(digits: number): string {
  let id = String(1 + Math.floor(Math.random() * 9));
  while (id.length < digits) id += String(Math.floor(Math.random() * 10));
  return id;
}
