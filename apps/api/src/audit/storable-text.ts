import { createHash } from 'node:crypto';

/** Hex digits of SHA-256 that stay recognisable when a long value is shortened (64 bits). */
const DIGEST_CHARS = 16;

/**
 * A text as the audit table can hold it, whatever the request carried: control characters (a NUL
 * is refused by PostgreSQL) written as `\\uXXXX`, and a value over `max` characters shortened to
 * its start, `…` and a digest of the whole — so a 5,000-character id is still audited, distinctly.
 */
/** C0 controls and DEL, built from their code points (a literal range trips no-control-regex). */
const CONTROL = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}]`,
  'g',
);

export function storableText(value: string, max: number): string {
  const escaped = value.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped.length <= max) return escaped;
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, DIGEST_CHARS);
  return `${escaped.slice(0, max - DIGEST_CHARS - 1)}…${digest}`;
}
