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
