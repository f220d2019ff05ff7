import { type AppRegistration, credentialFingerprint } from './app-credential.js';
import type { MicrosoftEndpoints } from './endpoints.js';
import {
  type AccessToken,
  IdentityPlatformError,
  requestAppToken,
  type TokenRequestOptions,
} from './token-client.js';

/**
 * Renew this long before a token expires. Entra tokens live ~60-90 minutes; five minutes covers
 * clock skew and a request that starts just before expiry and is retried after a throttle wait.
 */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * How long a credential the identity platform rejected (a 4xx: wrong secret, unknown app) is
 * answered from memory with the same error. Rejected credentials must not be retried in a loop
 * (SPEC C5: the account could be locked, and every mailbox task of the tenant would try again);
 * five minutes lets an admin who just granted consent see it work soon. A changed secret is a new
 * cache key and is tried at once.
 */
export const REJECTED_CREDENTIAL_TTL_MS = 5 * 60_000;

export type AcquireToken = (
  endpoints: MicrosoftEndpoints,
  registration: AppRegistration,
  options: TokenRequestOptions,
) => Promise<AccessToken>;

/**
 * App-only tokens per (authority, directory, application, credential), shared by every task of a
 * worker: the tasks of one tenant use one token until shortly before it expires, and concurrent
 * callers wait for the same request rather than each asking (single flight). A rejected
 * credential is remembered for REJECTED_CREDENTIAL_TTL_MS; any other failure (network, 5xx) is
 * forgotten at once so the next caller asks again.
 */
export class AppTokenCache {
  private readonly entries = new Map<string, Promise<AccessToken>>();
  /** Token requests actually sent, for metrics and tests. */
  acquisitions = 0;

  constructor(
    private readonly acquire: AcquireToken = requestAppToken,
    private readonly now: () => number = Date.now,
  ) {}

  async token(
    endpoints: MicrosoftEndpoints,
    registration: AppRegistration,
    signal?: AbortSignal,
  ): Promise<string> {
    const key = cacheKey(endpoints, registration);
    const cached = this.entries.get(key);
    if (cached) {
      // Waiters share the outcome of the request in flight, failure included.
      const settled = await cached;
      if (settled.expiresAt - TOKEN_REFRESH_MARGIN_MS > this.now()) return settled.token;
      if (this.entries.get(key) !== cached) return this.token(endpoints, registration, signal);
    }
    this.acquisitions += 1;
    const pending = this.acquire(endpoints, registration, { ...(signal && { signal }), now: this.now });
    this.entries.set(key, pending);
    try {
      return (await pending).token;
    } catch (error) {
      const rejected =
        error instanceof IdentityPlatformError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 429;
      if (rejected) {
        setTimeout(() => {
          if (this.entries.get(key) === pending) this.entries.delete(key);
        }, REJECTED_CREDENTIAL_TTL_MS).unref();
      } else if (this.entries.get(key) === pending) {
        this.entries.delete(key);
      }
      throw error;
    }
  }

  /** Forgets a token Graph refused (401), so the next call asks for a new one. */
  invalidate(endpoints: MicrosoftEndpoints, registration: AppRegistration): void {
    this.entries.delete(cacheKey(endpoints, registration));
  }
}

function cacheKey(endpoints: MicrosoftEndpoints, registration: AppRegistration): string {
  return [
    endpoints.authorityUrl.replace(/\/+$/, '').toLowerCase(),
    endpoints.graphUrl.replace(/\/+$/, '').toLowerCase(),
    registration.directoryId.toLowerCase(),
    registration.clientId.toLowerCase(),
    credentialFingerprint(registration.credential),
  ].join('\n');
}
