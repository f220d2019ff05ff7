import { folderNameOf, rawName } from '../protocol/mailbox-name.js';
import type { FolderStatus } from './folder-status.js';

/** A LIST entry as folder-commands.ts reads it off the wire. */
export interface ListedFolder {
  /** The name's bytes exactly as the server listed them. */
  readonly name: Buffer;
  readonly delimiter: string | null | undefined;
  readonly flags: ReadonlySet<string>;
  /** RFC 6154 attribute, or imapflow's guess from a well-known name (`Trash`, `Gesendet`). */
  readonly specialUse?: string | undefined;
  /** LIST-STATUS (or STATUS) of the folder when asked for; absent when the server gave none. */
  readonly status?: FolderStatus | undefined;
}

/** A folder to archive. */
export interface ArchiveFolder {
  /** The bytes the server listed: every command naming the folder sends exactly these. */
  readonly listed: Buffer;
  /** Its name in the archive (mailbox-name.ts): the `folder` of its messages and its cursor key. */
  readonly name: string;
  readonly specialUse?: string | undefined;
  readonly status?: FolderStatus | undefined;
}

/** The profile's folder selection (SPEC P2 `folders`). */
export interface FolderSelection {
  /** Full paths (`/` between levels) to archive; empty = every folder. */
  readonly include: readonly string[];
  /** Full paths never archived. */
  readonly exclude: readonly string[];
  /** Skip Trash, Junk and Drafts (by special-use) and Outbox (by name). */
  readonly excludeDefaults: boolean;
}

/** A profile without `folders` archives everything but the default exclusions (SPEC §3.1 table). */
export const DEFAULT_FOLDER_SELECTION: FolderSelection = { include: [], exclude: [], excludeDefaults: true };

/** Special-use folders excludeDefaults skips (RFC 6154 attributes). */
const DEFAULT_EXCLUDED_SPECIAL_USE = new Set(['\\Trash', '\\Junk', '\\Drafts']);

/**
 * Outbox has no special-use attribute; it is found by name, at the top or under INBOX (servers
 * with an `INBOX.` personal namespace), case-insensitively. A user's `Projects/Outbox` is kept.
 */
const DEFAULT_EXCLUDED_NAMES = new Set(['OUTBOX', 'INBOX/OUTBOX']);

/** Flags of a LIST entry that cannot be selected (it holds no messages). */
const UNSELECTABLE = ['\\Noselect', '\\NonExistent'];

/** Trims stray slashes and spaces and upper-cases a leading INBOX, so profile entries match names. */
export function normaliseName(name: string): string {
  const trimmed = name.trim().replace(/^\/+|\/+$/g, '');
  return /^inbox(\/|$)/i.test(trimmed) ? `INBOX${trimmed.slice(5)}` : trimmed;
}

export interface SelectedFolders {
  /** INBOX first, then by name: a stable order, so logs and checkpoints are easy to follow. */
  readonly folders: ArchiveFolder[];
  /** Included names the server does not have (or that cannot be selected); the caller reports them. */
  readonly missing: string[];
}

/**
 * Applies the profile's selection to the server's folder list. `utf8Names`: the session reads
 * names as UTF-8 (UTF8=ACCEPT), not modified UTF-7.
 *
 * Two listed names never share an archive name: should a name come out that an earlier entry
 * already has (`inbox` and `INBOX` both listed), the later entry is named by its raw bytes.
 */
export function selectFolders(
  listed: readonly ListedFolder[],
  selection: FolderSelection,
  utf8Names = false,
): SelectedFolders {
  const include = new Set(selection.include.map(normaliseName));
  const exclude = new Set(selection.exclude.map(normaliseName));
  const folders: ArchiveFolder[] = [];
  const seen = new Set<string>();
  for (const entry of listed) {
    if (UNSELECTABLE.some((flag) => entry.flags.has(flag))) continue;
    const friendly = folderNameOf(entry.name, entry.delimiter, utf8Names);
    const name = seen.has(friendly) ? rawName(entry.name) : friendly;
    seen.add(name);
    if (include.size > 0 && !include.has(name)) continue;
    if (exclude.has(name)) continue;
    if (selection.excludeDefaults && isDefaultExcluded(name, entry.specialUse)) continue;
    folders.push({ listed: entry.name, name, specialUse: entry.specialUse, status: entry.status });
  }
  folders.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { folders, missing: [...include].filter((name) => !seen.has(name)) };
}

function isDefaultExcluded(name: string, specialUse: string | undefined): boolean {
  return (
    (specialUse !== undefined && DEFAULT_EXCLUDED_SPECIAL_USE.has(specialUse)) ||
    DEFAULT_EXCLUDED_NAMES.has(name.toUpperCase())
  );
}

function rank(folder: ArchiveFolder): number {
  return folder.name === 'INBOX' ? 0 : 1;
}
