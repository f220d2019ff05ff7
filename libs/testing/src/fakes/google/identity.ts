import { randomBytes, verify } from 'node:crypto';

import { type GoogleFakeError, oauthErrors } from './errors.js';
import type { FakeGoogleUser, FakeServiceAccount } from './state.js';

/** An access token the fake issued: whom it acts as and with which scopes. */
export interface IssuedGoogleToken {
  readonly serviceAccount: FakeServiceAccount;
  /** The impersonated user; undefined for a token of the service account itself (no `sub`). */
  readonly user: FakeGoogleUser | undefined;
  readonly scopes: ReadonlySet<string>;
  readonly expiresAt: number;
}

export type TokenOutcome =
  | {
      readonly ok: true;
      readonly token: string;
      readonly issued: IssuedGoogleToken;
      readonly expiresIn: number;
    }
  | { readonly ok: false; readonly error: GoogleFakeError };

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google refuses assertions living longer than an hour, and tolerates a few minutes of clock skew. */
const MAX_ASSERTION_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 300;

export interface IssueTokenInput {
  readonly form: URLSearchParams;
  /** The token URL: the `aud` an assertion must carry. */
  readonly tokenUrl: string;
  readonly serviceAccounts: readonly FakeServiceAccount[];
  readonly lifetimeSeconds: number;
  readonly now: number;
}

/**
 * The jwt-bearer grant as oauth2.googleapis.com checks it: the assertion's RS256 signature against
 * the service account's current public keys, `aud`, the time window, the subject in the account's
 * domain (not suspended) and every requested scope among those delegated to the client id.
 */
export function issueGoogleToken(input: IssueTokenInput): TokenOutcome {
  const fail = (error: GoogleFakeError): TokenOutcome => ({ ok: false, error });
  const grantType = input.form.get('grant_type') ?? '';
  if (grantType !== JWT_BEARER) return fail(oauthErrors.unsupportedGrant(grantType));
  const assertion = input.form.get('assertion');
  if (!assertion) return fail(oauthErrors.invalidRequest('Missing required parameter: assertion'));
  const parts = assertion.split('.');
  const [headerPart, claimsPart, signaturePart] = parts;
  if (parts.length !== 3 || !headerPart || !claimsPart || !signaturePart)
    return fail(oauthErrors.invalidRequest('Invalid JWT'));
  const header = decodeJson(headerPart);
  const claims = decodeJson(claimsPart);
  if (!header || !claims || header['alg'] !== 'RS256') return fail(oauthErrors.invalidSignature());

  const account = input.serviceAccounts.find((a) => a.clientEmail === claims['iss']);
  if (!account) return fail(oauthErrors.unknownClient());
  const candidates =
    typeof header['kid'] === 'string'
      ? [account.publicKeys.get(header['kid'])].filter((k): k is string => k !== undefined)
      : [...account.publicKeys.values()];
  const signed = Buffer.from(`${headerPart}.${claimsPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!candidates.some((key) => verify('sha256', signed, key, signature)))
    return fail(oauthErrors.invalidSignature());

  if (claims['aud'] !== input.tokenUrl) return fail(oauthErrors.badAudience());
  const nowSeconds = Math.floor(input.now / 1000);
  const iat = claims['iat'];
  const exp = claims['exp'];
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp - iat > MAX_ASSERTION_SECONDS ||
    iat > nowSeconds + CLOCK_SKEW_SECONDS ||
    exp < nowSeconds - CLOCK_SKEW_SECONDS
  ) {
    return fail(oauthErrors.badTimeframe());
  }
  const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter(Boolean) : [];
  if (scopes.length === 0) return fail(oauthErrors.invalidScope());

  let user: FakeGoogleUser | undefined;
  if (claims['sub'] !== undefined) {
    if (typeof claims['sub'] !== 'string') return fail(oauthErrors.unknownSubject());
    // Delegation is checked before the user: Google answers unauthorized_client to a client id
    // without the grant whoever the subject is.
    if (!scopes.every((s) => account.delegatedScopes.has(s))) return fail(oauthErrors.unauthorizedClient());
    user = account.domain.user(claims['sub']);
    if (!user || user.suspended) return fail(oauthErrors.unknownSubject());
  }
  const token = `ya29.${randomBytes(48).toString('base64url')}`;
  return {
    ok: true,
    token,
    expiresIn: input.lifetimeSeconds,
    issued: {
      serviceAccount: account,
      user,
      scopes: new Set(scopes),
      expiresAt: input.now + input.lifetimeSeconds * 1000,
    },
  };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
