import type { GoogleEndpoints } from './endpoints.js';
import { serviceAccountFingerprint } from './service-account-key.js';
import {
  type AccessToken,
  type DelegatedTokenRequest,
  GoogleOAuthError,
  requestDelegatedToken,
  type TokenRequestOptions,
} from './token-client.js';

/**
 * Renew this long before a token expires. Google's tokens live 3599 s; five minutes covers clock
 * skew and a request that starts just before expiry and is retried after a quota back-off.
 */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * How long a refusal of the token endpoint (a 4xx: no delegation, unknown user, deleted key) is
 * answered from memory with the same error. Refused credentials are not retried in a loop (SPEC
 * C5); five minutes lets an admin who just granted delegation see it work soon (Google itself
 * says a grant can take minutes to propagate). A new key is a new cache key and is tried at once.
 */
export const REJECTED_GRANT_TTL_MS = 5 * 60_000;

export type AcquireDelegatedToken = (
  endpoints: Pick<GoogleEndpoints, 'tokenUrl'>,
  request: DelegatedTokenRequest,
  options: TokenRequestOptions,
) => Promise<AccessToken>;

/**
 * Delegated tokens per (token URL, key, subject, scopes), shared by every task of a worker: one
 * token per mailbox until shortly before it expires; concurrent callers wait for the same request
 * (single flight). A refused grant is remembered for REJECTED_GRANT_TTL_MS; any other failure
 * (network, 5xx, 429) is forgotten at once so the next caller asks again.
 */
export class DelegatedTokenCache {
  private readonly entries = new Map<string, Promise<AccessToken>>();
  /** Token requests actually sent, for metrics and tests. */
  acquisitions = 0;

  constructor(
    private readonly acquire: AcquireDelegatedToken = requestDelegatedToken,
    private readonly now: () => number = Date.now,
  ) {}

  async token(
    endpoints: Pick<GoogleEndpoints, 'tokenUrl'>,
    request: DelegatedTokenRequest,
    signal?: AbortSignal,
  ): Promise<string> {
    const key = cacheKey(endpoints, request);
    const cached = this.entries.get(key);
    if (cached) {
      // Waiters share the outcome of the request in flight, failure included.
      const settled = await cached;
      if (settled.expiresAt - TOKEN_REFRESH_MARGIN_MS > this.now()) return settled.token;
      if (this.entries.get(key) !== cached) return this.token(endpoints, request, signal);
    }
    this.acquisitions += 1;
    const pending = this.acquire(endpoints, request, { ...(signal && { signal }), now: this.now });
    this.entries.set(key, pending);
    try {
      return (await pending).token;
    } catch (error) {
      const refused =
        error instanceof GoogleOAuthError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 429;
      if (refused) {
        setTimeout(() => {
          if (this.entries.get(key) === pending) this.entries.delete(key);
        }, REJECTED_GRANT_TTL_MS).unref();
      } else if (this.entries.get(key) === pending) {
        this.entries.delete(key);
      }
      throw error;
    }
  }

  /** Forgets a token the API refused (401), so the next call asks for a new one. */
  invalidate(endpoints: Pick<GoogleEndpoints, 'tokenUrl'>, request: DelegatedTokenRequest): void {
    this.entries.delete(cacheKey(endpoints, request));
  }
}

function cacheKey(endpoints: Pick<GoogleEndpoints, 'tokenUrl'>, request: DelegatedTokenRequest): string {
  return [
    endpoints.tokenUrl.replace(/\/+$/, '').toLowerCase(),
    serviceAccountFingerprint(request.key),
    // Google treats the subject's address case-insensitively; one token per user, not per spelling.
    request.subject.trim().toLowerCase(),
    [...request.scopes].sort().join(' '),
  ].join('\n');
}
