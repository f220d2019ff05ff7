/**
 * The profile's folder selection (SPEC P2 `folders`), protocol-neutral: include and exclude lists
 * of full paths (`/` between levels), matched exactly after trimming stray slashes and spaces.
 * Default exclusions (Trash, Junk, Drafts, Outbox) are the protocol's to recognise (IMAP by
 * special-use, Graph by well-known folder name), so they come in as a flag per folder.
 */
export interface FolderSelection {
  /** Full paths to archive; empty = every folder. */
  readonly include: readonly string[];
  /** Full paths never archived. */
  readonly exclude: readonly string[];
  /** Skip the protocol's default exclusions. */
  readonly excludeDefaults: boolean;
}

/** Trims stray slashes and spaces, so profile entries and source paths compare equal. */
export function trimFolderPath(path: string): string {
  return path.trim().replace(/^\/+|\/+$/g, '');
}

/**
 * Applies a selection to the source's folders, keeping their order. `missing` lists included
 * paths the source does not have, for the caller to report.
 */
export function applyFolderSelection<F extends { readonly path: string; readonly defaultExcluded: boolean }>(
  folders: readonly F[],
  selection: FolderSelection,
  normalise: (path: string) => string = trimFolderPath,
): { selected: F[]; missing: string[] } {
  const include = new Set(selection.include.map(normalise));
  const exclude = new Set(selection.exclude.map(normalise));
  const seen = new Set(folders.map((f) => normalise(f.path)));
  const selected = folders.filter((folder) => {
    const path = normalise(folder.path);
    if (include.size > 0 && !include.has(path)) return false;
    if (exclude.has(path)) return false;
    return !(selection.excludeDefaults && folder.defaultExcluded);
  });
  return { selected, missing: [...include].filter((path) => !seen.has(path)) };
}

/** A profile without `folders` archives everything but the default exclusions (SPEC §3.1). */
export const DEFAULT_FOLDER_SELECTION: FolderSelection = { include: [], exclude: [], excludeDefaults: true };

/**
 * Reads a profile's `folders` (a saved profile's, or a connection test's plain draft), or the
 * default selection when it has none. `invalid(field, message)` builds the connector's error for a
 * malformed value, naming the field (`folders.include`, …).
 */
export function readFolderSelection(
  value: unknown,
  invalid: (field: string, message: string) => Error,
): FolderSelection {
  if (value === undefined || value === null) return DEFAULT_FOLDER_SELECTION;
  if (typeof value !== 'object')
    throw invalid('folders', 'must be an object with include, exclude and excludeDefaults');
  const folders = value as Record<string, unknown>;
  const list = (field: 'include' | 'exclude'): string[] => {
    const entries = folders[field] ?? [];
    if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'string')) {
      throw invalid(`folders.${field}`, 'must be a list of folder paths');
    }
    return entries as string[];
  };
  const excludeDefaults = folders['excludeDefaults'] ?? true;
  if (typeof excludeDefaults !== 'boolean') throw invalid('folders.excludeDefaults', 'must be a boolean');
  return { include: list('include'), exclude: list('exclude'), excludeDefaults };
}
