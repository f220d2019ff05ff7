import { buildDelegationAssertion } from './delegation-assertion.js';
import type { GoogleEndpoints } from './endpoints.js';
import type { ServiceAccountKey } from './service-account-key.js';

/** A delegated access token and when it stops working. */
export interface AccessToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Who the token is for: the service account's key, the impersonated user and the scopes. */
export interface DelegatedTokenRequest {
  readonly key: ServiceAccountKey;
  /** The Workspace user the token acts as (`sub`): the mailbox, or an admin for the directory. */
  readonly subject: string;
  readonly scopes: readonly string[];
}

/**
 * Google's token endpoint refused the request. Carries its OAuth error body (RFC 6749 §5.2):
 * `error` (`unauthorized_client`, `invalid_grant`, `invalid_client`…) and `error_description`.
 */
export class GoogleOAuthError extends Error {
  override readonly name = 'GoogleOAuthError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Pick<Headers, 'get'>,
  ) {
    super(description ? `${error}: ${description}` : `${status} ${error}`);
  }
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** An error body is a few hundred bytes; this much of an unexpected (HTML) body is enough to diagnose. */
const UNEXPECTED_BODY_CHARS = 500;

export interface TokenRequestOptions {
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/** One jwt-bearer exchange at the token endpoint (what google-auth-library's JWT client does). */
export async function requestDelegatedToken(
  endpoints: Pick<GoogleEndpoints, 'tokenUrl'>,
  request: DelegatedTokenRequest,
  options: TokenRequestOptions = {},
): Promise<AccessToken> {
  const sentAt = options.now?.() ?? Date.now();
  const assertion = buildDelegationAssertion({
    key: request.key,
    subject: request.subject,
    scopes: request.scopes,
    audience: endpoints.tokenUrl,
    now: sentAt,
  });
  const response = await fetch(endpoints.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }),
    ...(options.signal && { signal: options.signal }),
  });
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (!response.ok || typeof body?.['access_token'] !== 'string') {
    throw new GoogleOAuthError(
      response.status,
      typeof body?.['error'] === 'string' ? body['error'] : 'unexpected_response',
      typeof body?.['error_description'] === 'string'
        ? body['error_description']
        : `HTTP ${response.status} from the token endpoint: ${text.slice(0, UNEXPECTED_BODY_CHARS)}`,
      response.headers,
    );
  }
  const expiresIn = Number(body['expires_in']);
  // expires_in counts from when the server answered; counting from when we asked stays on the safe side.
  return {
    token: body['access_token'],
    expiresAt: sentAt + (Number.isFinite(expiresIn) ? expiresIn : 0) * 1000,
  };
}
