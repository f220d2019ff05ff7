import { createPrivateKey, sign } from 'node:crypto';

import type { ServiceAccountKey } from './service-account-key.js';

/**
 * The RS256 JWT a service account signs to get a token for a user of its Workspace domain
 * (RFC 7523; developers.google.com/identity/protocols/oauth2/service-account "Preparing to make
 * an authorized API call"): `iss` the service account, `sub` the impersonated user, `scope`
 * space-separated, `aud` the token URL.
 */
export interface DelegationAssertionInput {
  readonly key: ServiceAccountKey;
  /** The user the token acts as (domain-wide delegation). */
  readonly subject: string;
  readonly scopes: readonly string[];
  /** The token URL the assertion is posted to. */
  readonly audience: string;
  readonly now?: number;
}

/** Google refuses assertions that live longer than one hour ("Token must be a short-lived token"). */
const ASSERTION_LIFETIME_SECONDS = 3600;

export function buildDelegationAssertion(input: DelegationAssertionInput): string {
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    ...(input.key.privateKeyId && { kid: input.key.privateKeyId }),
  };
  const issuedAt = Math.floor((input.now ?? Date.now()) / 1000);
  const claims = {
    iss: input.key.clientEmail,
    sub: input.subject,
    scope: input.scopes.join(' '),
    aud: input.audience,
    iat: issuedAt,
    exp: issuedAt + ASSERTION_LIFETIME_SECONDS,
  };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(input.key.privateKeyPem));
  return `${signingInput}.${signature.toString('base64url')}`;
}

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
