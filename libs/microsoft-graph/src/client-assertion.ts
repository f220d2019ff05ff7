import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';

/**
 * A JWT client assertion (RFC 7523) for the certificate credential: RS256 over the header and
 * claims Entra ID checks (learn.microsoft.com, "certificate credentials").
 */
export interface ClientAssertionInput {
  readonly clientId: string;
  /** The token URL the assertion is posted to. */
  readonly audience: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly now?: number;
}

/**
 * Ten minutes: Entra ID accepts assertions of any reasonable lifetime; a short one limits what a
 * leaked assertion is worth, and it is used at once anyway.
 */
const ASSERTION_LIFETIME_SECONDS = 600;

export function buildClientAssertion(input: ClientAssertionInput): string {
  const der = new X509Certificate(input.certificatePem).raw;
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    // SHA-256 thumbprint of the DER certificate, base64url: how Entra finds the registered key.
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
  const issuedAt = Math.floor((input.now ?? Date.now()) / 1000);
  const claims = {
    aud: input.audience,
    iss: input.clientId,
    sub: input.clientId,
    jti: randomUUID(),
    nbf: issuedAt,
    iat: issuedAt,
    exp: issuedAt + ASSERTION_LIFETIME_SECONDS,
  };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(input.privateKeyPem));
  return `${signingInput}.${signature.toString('base64url')}`;
}

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
