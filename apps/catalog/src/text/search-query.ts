import { CJK_RUN, withCjkBigrams } from './index-text.js';

/**
 * A search as people type it into a search engine, turned into a PostgreSQL tsquery expression:
 *
 * - `word word` — all required; `a or b` (also `OR`, `|`) — either;
 * - `"a phrase"` — the words next to each other, in order;
 * - `-word`, `-"a phrase"` — excluded;
 * - `prefix*` — any word starting with it.
 *
 * Each term is tokenized by PostgreSQL itself (`phraseto_tsquery('simple', …)`), exactly as the
 * indexed text was, so addresses, `file/names` and `host.names` match as they were indexed. CJK
 * text becomes a phrase of bigrams, like the indexed text (index-text.ts).
 */
export interface SearchTerm {
  readonly text: string;
  readonly negated: boolean;
  readonly prefix: boolean;
}

/** Terms of each alternative: the query matches when every term of some alternative does. */
export type ParsedQuery = SearchTerm[][];

const TOKEN = /(-?)"([^"]*)"?|(\S+)/g;

export function parseSearchQuery(q: string): ParsedQuery {
  const alternatives: SearchTerm[][] = [[]];
  for (const match of q.matchAll(TOKEN)) {
    const [, quotedMinus, quoted, bare] = match;
    if (bare !== undefined && /^(or|\|)$/i.test(bare)) {
      if (alternatives[alternatives.length - 1]!.length > 0) alternatives.push([]);
      continue;
    }
    const negated = quoted !== undefined ? quotedMinus === '-' : bare!.startsWith('-') && bare!.length > 1;
    let text = quoted ?? (negated ? bare!.slice(1) : bare!);
    const prefix = quoted === undefined && text.endsWith('*') && text.length > 1;
    if (prefix) text = text.replace(/\*+$/, '');
    if (text.trim() === '') continue;
    alternatives[alternatives.length - 1]!.push({ text, negated, prefix });
  }
  return alternatives.filter((terms) => terms.length > 0);
}

/**
 * The SQL tsquery of a parsed query; `param` adds a bind parameter and gives its placeholder.
 * Undefined when the query has no term.
 */
export function tsqueryExpression(query: ParsedQuery, param: (value: unknown) => string): string | undefined {
  const alternatives = query.map((terms) => {
    const positives = terms.filter((term) => !term.negated).map((term) => termExpression(term, param));
    const negatives = terms.filter((term) => term.negated).map((term) => `!!${termExpression(term, param)}`);
    // A query of exclusions only means "everything but": PostgreSQL evaluates `!!x` alone that way.
    return `(${[...positives, ...negatives].join(' && ')})`;
  });
  return alternatives.length === 0 ? undefined : `(${alternatives.join(' || ')})`;
}

function termExpression(term: SearchTerm, param: (value: unknown) => string): string {
  const text = term.text;
  const cjkOnly = text.replace(CJK_RUN, '') === '' && [...text].length === 1;
  if (term.prefix || cjkOnly) {
    // A bare token (no spaces); a single CJK character is a prefix of the bigrams it starts.
    const lexeme = lastWord(withCjkBigrams(text));
    return `to_tsquery('simple', ${param(`'${lexeme.replace(/'/g, "''").replace(/\\/g, '\\\\')}':*`)})`;
  }
  return `phraseto_tsquery('simple', ${param(withCjkBigrams(text))})`;
}

function lastWord(text: string): string {
  const words = text.trim().split(/\s+/);
  return words[words.length - 1]!.toLowerCase();
}
