import type { FolderStatus } from './folder-status.js';

/** What imapflow's LIST gives per folder (a subset of its ListResponse). */
export interface ListedFolder {
  /** The server's path, UTF-8 (imapflow decodes modified UTF-7), with the server's delimiter. */
  readonly path: string;
  readonly delimiter: string | null | undefined;
  readonly flags: ReadonlySet<string>;
  readonly specialUse?: string | undefined;
  /** LIST-STATUS (or STATUS) of the folder when asked for; absent when the server gave none. */
  readonly status?: FolderStatus | undefined;
}

/** A folder to archive. */
export interface ArchiveFolder {
  /** The server's path, to SELECT it. */
  readonly path: string;
  /** The path with `/` between levels: the `folder` of its archived messages and its cursor key. */
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

/** The `/`-separated name of a server path; INBOX (case-insensitive on every server) upper-cased. */
export function folderName(path: string, delimiter: string | null | undefined): string {
  const levels = delimiter ? path.split(delimiter) : [path];
  return normaliseName(levels.join('/'));
}

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

/** Applies the profile's selection to the server's folder list. */
export function selectFolders(listed: readonly ListedFolder[], selection: FolderSelection): SelectedFolders {
  const include = new Set(selection.include.map(normaliseName));
  const exclude = new Set(selection.exclude.map(normaliseName));
  const folders: ArchiveFolder[] = [];
  const seen = new Set<string>();
  for (const entry of listed) {
    if (UNSELECTABLE.some((flag) => entry.flags.has(flag))) continue;
    const name = folderName(entry.path, entry.delimiter);
    seen.add(name);
    if (include.size > 0 && !include.has(name)) continue;
    if (exclude.has(name)) continue;
    if (selection.excludeDefaults && isDefaultExcluded(name, entry.specialUse)) continue;
    folders.push({ path: entry.path, name, specialUse: entry.specialUse, status: entry.status });
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
