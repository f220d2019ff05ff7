import { specialUse } from 'imapflow/lib/special-use.js';

/**
 * Special-use of listed folders as imapflow's `list()` decides it (which the connector used before
 * it read LIST itself, decision 0021): the RFC 6154 attribute, else imapflow's tables of
 * well-known names (`Trash`, `Gelöschte Elemente`, `Sent Items`), and each type given to one
 * folder only — attribute before exact name before a decorated name, then the shallower folder,
 * then the alphabetically first. So of `Trash` and `Deleted Items` only one is taken for Trash and
 * skipped by `excludeDefaults`; the other is archived.
 */
export interface SpecialUseCandidate {
  /** The decoded path (lossy is fine: only imapflow's tables and the tie-break read it). */
  readonly path: string;
  readonly delimiter: string | null;
  readonly flags: ReadonlySet<string>;
}

const SOURCE_ORDER = ['extension', 'name', 'name-guess'];

/** The special-use of each candidate, in the same order (undefined: none). */
export function assignSpecialUse(
  candidates: readonly SpecialUseCandidate[],
  hasExtension: boolean,
): (string | undefined)[] {
  const claims = candidates.flatMap((candidate, index) => {
    const { path, delimiter, flags } = candidate;
    const levels = delimiter ? path.split(delimiter) : [path];
    const { flag, source } = specialUse(hasExtension, {
      flags: new Set(flags),
      name: levels[levels.length - 1] ?? '',
    });
    if (!flag || (source !== 'extension' && flags.has('\\NonExistent'))) return [];
    return [{ index, type: flag, rank: SOURCE_ORDER.indexOf(source ?? ''), depth: levels.length, path }];
  });
  claims.sort((a, b) => a.rank - b.rank || a.depth - b.depth || a.path.localeCompare(b.path));
  const assigned: (string | undefined)[] = candidates.map(() => undefined);
  const taken = new Set<string>();
  for (const claim of claims) {
    if (taken.has(claim.type) || assigned[claim.index] !== undefined) continue;
    assigned[claim.index] = claim.type;
    taken.add(claim.type);
  }
  return assigned;
}
