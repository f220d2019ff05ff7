/**
 * Text as the full text index takes it (PostgreSQL's `simple` configuration over the result):
 *
 * - Runs of CJK characters become overlapping bigrams (`東京都` → `東京 京都`): Chinese and
 *   Japanese write words without spaces, and PostgreSQL's parser would keep a whole sentence as one
 *   token. Bigrams find any word of two characters or more (queries are split the same way, as a
 *   phrase), without a dictionary per language.
 * - Tokens joined by `/ . _ : \ @ + -` (`adware/spyware`, `multipart/mixed`, `x.y`) are kept whole
 *   and their parts are added after the text, so each word inside them is found too (the parser
 *   keeps file- and host-like tokens whole).
 */
export function indexableText(text: string): string {
  const bigrammed = withCjkBigrams(text);
  // Linear on purpose (no backtracking regex over the whole text: a 70,000-letter line must not stall).
  const parts: string[] = [];
  for (const chunk of bigrammed.split(/\s+/)) {
    if (!JOINER.test(chunk)) continue;
    for (const part of chunk.split(NOT_WORD)) if (part) parts.push(part);
  }
  return parts.length === 0 ? bigrammed : `${bigrammed}\n${parts.join(' ')}`;
}

/** Han, Hiragana, Katakana (with the prolonged sound mark) and Hangul. */
export const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆]+/gu;
const JOINER = /[\p{L}\p{N}][/._:\\@+-]+[\p{L}\p{N}]/u;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/** Each CJK run as its overlapping bigrams (a run of one character stays as it is). */
export function withCjkBigrams(text: string): string {
  return text.replace(CJK_RUN, (run) => ` ${cjkBigrams(run).join(' ')} `);
}

function cjkBigrams(run: string): string[] {
  const characters = [...run];
  if (characters.length < 2) return characters;
  const bigrams: string[] = [];
  for (let i = 0; i < characters.length - 1; i++) bigrams.push(characters[i]! + characters[i + 1]!);
  return bigrams;
}
