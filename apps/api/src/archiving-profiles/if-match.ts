import { ContractError } from '@mailkeep/contracts';

/** `ETag: "<version>"` of a versioned object. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header expects: `"3"` or `W/"3"`; absent or `*` means any. Anything
 * else is a malformed precondition, refused rather than ignored.
 */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match?.[1]) {
    throw ContractError.validation([
      { field: 'If-Match', message: 'If-Match must be the ETag of the profile, like "3"' },
    ]);
  }
  return Number(match[1]);
}
