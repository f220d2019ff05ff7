import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `mk_<12 hex>_<43 base64url>`: a public part that lists can show, and 256 bits
 * of secret. Only the SHA-256 of the whole key is stored; with this much entropy a fast hash
 * cannot be brute-forced, and it lets a request find its key with one indexed lookup.
 */
const KEY_PREFIX = 'mk_';

export interface IssuedKey {
  readonly key: string;
  readonly prefix: string;
  readonly hash: string;
}

export function issueApiKey(): IssuedKey {
  const publicPart = randomBytes(6).toString('hex');
  const secretPart = randomBytes(32).toString('base64url');
  const key = `${KEY_PREFIX}${publicPart}_${secretPart}`;
  return { key, prefix: `${KEY_PREFIX}${publicPart}`, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The part of any key that may be shown: the first characters, never enough to use it. */
export function displayPrefix(key: string): string {
  return key.startsWith(KEY_PREFIX) ? key.slice(0, KEY_PREFIX.length + 12) : `${key.slice(0, 4)}…`;
}

/** `Authorization: Bearer <key>` → the key, or undefined when the header is absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{16,512})\s*$/i.exec(header);
  return match?.[1];
}
