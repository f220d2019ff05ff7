import { createHash, createSign, randomUUID, X509Certificate } from 'node:crypto';

import type { ResolvedSecret } from '@mailkeep/contracts';

import { GraphFailure, tokenFailure } from './graph-failure.js';
import { GRAPH_SCOPE, type M365Endpoints } from './m365-endpoints.js';

/**
 * How long a client assertion is valid. Entra accepts up to ten minutes; five leave room for
 * clock skew between this host and Entra without keeping a replayable token around longer.
 */
const ASSERTION_LIFETIME_SECONDS = 300;

/** A request to the identity platform that hangs this long is given up (it answers in well under a second). */
export const TOKEN_TIMEOUT_MS = 30_000;

export interface AppCredentials {
  readonly directoryId: string;
  readonly applicationId: string;
  readonly secret: ResolvedSecret;
}

/**
 * An app-only access token for Graph (OAuth 2.0 client credentials, SPEC §3.3 m365): with the
 * client secret of a `client-secret` secret, or a JWT assertion signed with the private key of a
 * `certificate` secret (RS256, `x5t#S256` = the certificate's SHA-256 thumbprint). One token per
 * sync or test: a sync needs a handful of Graph calls within the token's hour.
 */
export async function acquireGraphToken(endpoints: M365Endpoints, app: AppCredentials): Promise<string> {
  // GUIDs are case-insensitive to Entra; they go on the wire in lower case, as Entra writes them.
  const directoryId = app.directoryId.toLowerCase();
  const applicationId = app.applicationId.toLowerCase();
  const tokenUrl = `${endpoints.authorityUrl.replace(/\/+$/, '')}/${encodeURIComponent(directoryId)}/oauth2/v2.0/token`;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: applicationId,
    scope: GRAPH_SCOPE,
    ...credentialFields({ ...app, applicationId }, tokenUrl),
  });
  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch (error) {
    throw new GraphFailure(
      'network',
      'The Microsoft identity platform could not be reached',
      describe(error),
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  const token = (body as { access_token?: unknown } | undefined)?.access_token;
  if (!response.ok || typeof token !== 'string') throw tokenFailure(response.status, body);
  return token;
}

function credentialFields(app: AppCredentials, tokenUrl: string): Record<string, string> {
  const { secret } = app;
  if (secret.type === 'client-secret' && secret.clientSecret) return { client_secret: secret.clientSecret };
  if (secret.type === 'certificate' && secret.certificatePem && secret.privateKeyPem) {
    return {
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion(
        app.applicationId,
        tokenUrl,
        secret.certificatePem,
        secret.privateKeyPem,
      ),
    };
  }
  throw new GraphFailure(
    'configuration',
    'The secret cannot authenticate an Entra ID application',
    `a ${secret.type} secret without the needed values`,
  );
}

function clientAssertion(
  applicationId: string,
  audience: string,
  certificatePem: string,
  keyPem: string,
): string {
  const thumbprint = createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', 'x5t#S256': thumbprint };
  const claims = {
    aud: audience,
    iss: applicationId,
    sub: applicationId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + ASSERTION_LIFETIME_SECONDS,
  };
  const input = `${base64url(header)}.${base64url(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(keyPem, 'base64url');
  return `${input}.${signature}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
