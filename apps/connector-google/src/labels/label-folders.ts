import { applyFolderSelection, type FolderSelection } from '@mailkeep/connector-kit';

/**
 * Gmail has labels, not folders (SPEC §3.5): the labels that are places become the message's
 * folders, all of them on one catalog row (`folders`). Labels that are states of a message rather
 * than places are not folders: UNREAD, STARRED, IMPORTANT, CHAT and the inbox categories.
 */
export interface GmailLabel {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
}

/** System place labels with the names Gmail's own interface shows. */
const SYSTEM_FOLDERS: Readonly<Record<string, string>> = {
  INBOX: 'Inbox',
  SENT: 'Sent',
  DRAFT: 'Drafts',
  SPAM: 'Spam',
  TRASH: 'Trash',
};

/** SPAM, TRASH and DRAFT are the profile's default exclusions (Junk, Trash, Drafts elsewhere). */
const DEFAULT_EXCLUDED = new Set(['SPAM', 'TRASH', 'DRAFT']);

const STATE_LABELS = new Set(['UNREAD', 'STARRED', 'IMPORTANT', 'CHAT']);

/** Where a message with no place label lives in Gmail's interface (archived out of the Inbox). */
export const ALL_MAIL = 'All Mail';

export function isStateLabel(id: string): boolean {
  return STATE_LABELS.has(id) || id.startsWith('CATEGORY_');
}

interface LabelFolder {
  readonly id: string;
  readonly path: string;
  readonly defaultExcluded: boolean;
}

/** Folder names compare case-insensitively: `INBOX` and `Inbox` in a profile both mean the Inbox. */
const normalise = (path: string): string =>
  path
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .toLowerCase();

/**
 * The mailbox's labels as folders, and the profile's folder rules applied to them. A message is
 * archived when one of its folders is selected and none of the excluded default-exclusion labels
 * (Spam, Trash, Drafts) is on it: a trashed message keeps its other labels in Gmail, and is
 * still trash.
 */
export class LabelFolders {
  private readonly names = new Map<string, string>();
  private readonly selected = new Set<string>();
  private readonly vetoes = new Set<string>();
  /** Profile folders that are no label of the mailbox, for the task log. */
  readonly missing: readonly string[];
  /** Whether `messages.list` must ask for Spam and Trash (`includeSpamTrash`). */
  readonly includeSpamTrash: boolean;

  constructor(labels: readonly GmailLabel[], selection: FolderSelection) {
    const folders: LabelFolder[] = [{ id: '', path: ALL_MAIL, defaultExcluded: false }];
    for (const label of labels) {
      if (isStateLabel(label.id)) continue;
      const path = SYSTEM_FOLDERS[label.id] ?? (label.type === 'system' ? undefined : label.name);
      if (path === undefined) continue;
      this.names.set(label.id, path);
      folders.push({ id: label.id, path, defaultExcluded: DEFAULT_EXCLUDED.has(label.id) });
    }
    const { selected, missing } = applyFolderSelection(folders, selection, normalise);
    for (const folder of selected) this.selected.add(folder.id);
    for (const id of DEFAULT_EXCLUDED) if (this.names.has(id) && !this.selected.has(id)) this.vetoes.add(id);
    this.missing = missing;
    this.includeSpamTrash = this.selected.has('SPAM') || this.selected.has('TRASH');
  }

  /** The message's folders (every place label, in label order; `All Mail` when it has none). */
  foldersOf(labelIds: readonly string[]): string[] {
    const folders = labelIds.map((id) => this.names.get(id)).filter((n): n is string => n !== undefined);
    return folders.length > 0 ? folders : [ALL_MAIL];
  }

  /** Whether a message with these labels is archived under the profile's rules. */
  selects(labelIds: readonly string[]): boolean {
    if (labelIds.some((id) => this.vetoes.has(id))) return false;
    const places = labelIds.filter((id) => this.names.has(id));
    return places.length === 0 ? this.selected.has('') : places.some((id) => this.selected.has(id));
  }

  /** The Gmail search that leaves out what is excluded anyway, so it is not downloaded. */
  listQuery(): string | undefined {
    return this.vetoes.has('DRAFT') ? '-in:drafts' : undefined;
  }

  get folderCount(): number {
    return this.names.size + 1;
  }
}
