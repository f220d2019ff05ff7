/**
 * The search rule shared by every list of the API (SPEC P1): a string matches an object when its
 * name includes the string, case-insensitively, or its id equals the string, case-insensitively.
 * `%` and `_` are literal characters, so they are escaped for LIKE.
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** `%<escaped>%` for `lower(column) LIKE lower(:pattern) ESCAPE '\'`. */
export function containsPattern(text: string): string {
  return `%${escapeLikePattern(text.toLowerCase())}%`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The search string as an id, when it is one (ids are UUIDs; anything else cannot equal one). */
export function searchAsId(text: string): string | undefined {
  const trimmed = text.trim();
  return UUID.test(trimmed) ? trimmed.toLowerCase() : undefined;
}
