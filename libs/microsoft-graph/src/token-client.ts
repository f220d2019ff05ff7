import type { AppRegistration } from './app-credential.js';
import { buildClientAssertion } from './client-assertion.js';
import { graphScope, type MicrosoftEndpoints, tokenUrl } from './endpoints.js';

/** An app-only access token and when it stops working. */
export interface AccessToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/**
 * The identity platform refused the request. Carries its documented error body: `error`
 * (`invalid_client`, `unauthorized_client`, …), the `AADSTSnnnn` codes and the description with
 * its trace and correlation ids (what Microsoft support asks for).
 */
export class IdentityPlatformError extends Error {
  override readonly name = 'IdentityPlatformError';

  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorCodes: readonly number[],
    readonly description: string,
    readonly headers: Pick<Headers, 'get'>,
  ) {
    super(description || `${status} ${error}`);
  }
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** An error body is a few hundred bytes; this much of an unexpected (HTML) body is enough to diagnose. */
const UNEXPECTED_BODY_CHARS = 500;

export interface TokenRequestOptions {
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/** One client-credentials request to `{authority}/{directory}/oauth2/v2.0/token`. */
export async function requestAppToken(
  endpoints: MicrosoftEndpoints,
  registration: AppRegistration,
  options: TokenRequestOptions = {},
): Promise<AccessToken> {
  const url = tokenUrl(endpoints, registration.directoryId);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: registration.clientId,
    scope: graphScope(endpoints),
  });
  const { credential } = registration;
  if (credential.kind === 'client-secret') {
    form.set('client_secret', credential.clientSecret);
  } else {
    form.set('client_assertion_type', ASSERTION_TYPE);
    form.set(
      'client_assertion',
      buildClientAssertion({
        clientId: registration.clientId,
        audience: url,
        certificatePem: credential.certificatePem,
        privateKeyPem: credential.privateKeyPem,
        ...(options.now && { now: options.now() }),
      }),
    );
  }
  const sentAt = options.now?.() ?? Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form,
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
    throw new IdentityPlatformError(
      response.status,
      typeof body?.['error'] === 'string' ? body['error'] : 'unexpected_response',
      Array.isArray(body?.['error_codes']) ? body['error_codes'].filter((c) => typeof c === 'number') : [],
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
