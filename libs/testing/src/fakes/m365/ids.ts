import { randomBytes, randomUUID } from 'node:crypto';

/** A GUID as Entra ID and Graph write them (lower-case, hyphenated). */
export const guid = (): string => randomUUID();

/**
 * Outlook item and folder ids are long URL-safe base64 strings. The prefixes mimic the real
 * shapes (`AAMkA…` for REST ids, `AAkALg…` for immutable ids) so logs look like production;
 * nothing parses them.
 */
export function restId(): string {
  return `AAMkADAwATM0MDAAMS1iNjk2LTk4ZjUtMDACLTAwCgBGAAAD${randomBytes(48).toString('base64url')}AAA=`;
}

export function immutableId(): string {
  return `AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A${randomBytes(48).toString('base64url')}AAA=`;
}

/** An opaque paging or delta token. */
export const opaqueToken = (): string => randomBytes(24).toString('base64url');
