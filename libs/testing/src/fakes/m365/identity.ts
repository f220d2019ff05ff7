import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';

import { type IdentityError, identityErrors } from './errors.js';
import { opaqueToken } from './ids.js';
import type { FakeApplication, FakeTenant, GraphPermission } from './state.js';

/**
 * The identity platform's v2 token endpoint for the client-credentials grant, with a client secret
 * or a JWT client assertion (RFC 7523) signed by a registered certificate.
 */

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Five minutes of clock skew, as Entra ID allows on `nbf` / `exp`. */
const CLOCK_SKEW_SECONDS = 300;

export interface IssuedToken {
  readonly tenantId: string;
  readonly clientId: string;
  readonly roles: ReadonlySet<GraphPermission>;
  readonly expiresAt: number;
}

export type TokenOutcome =
  | { readonly ok: true; readonly token: string; readonly issued: IssuedToken; readonly expiresIn: number }
  | { readonly ok: false; readonly error: IdentityError };

export interface TokenRequestContext {
  readonly tenantReference: string;
  readonly form: URLSearchParams;
  /** The URL this request was posted to: what a client assertion's `aud` must be. */
  readonly tokenUrl: string;
  readonly tenants: readonly FakeTenant[];
  readonly lifetimeSeconds: number;
  /**
   * Scopes granted: Graph's global `/.default` and the fake's own origin's, which is what a client
   * configured for a national cloud (or this fake) derives from its Graph URL.
   */
  readonly acceptedScopes: readonly string[];
  /** `jti`s already seen, to refuse a replayed assertion. */
  readonly seenAssertionIds: Set<string>;
}

export function issueToken(context: TokenRequestContext): TokenOutcome {
  const { form } = context;
  const fail = (error: IdentityError): TokenOutcome => ({ ok: false, error });
  const tenant = context.tenants.find(
    (t) =>
      t.id === context.tenantReference.toLowerCase() || t.domain === context.tenantReference.toLowerCase(),
  );
  if (!tenant) return fail(identityErrors.unknownTenant(context.tenantReference));
  const grant = form.get('grant_type');
  if (grant === null) return fail(identityErrors.missingParameter('grant_type'));
  if (grant !== 'client_credentials') return fail(identityErrors.unsupportedGrant(grant));
  const clientId = form.get('client_id');
  if (clientId === null) return fail(identityErrors.missingParameter('client_id'));
  const application = tenant.applications.get(clientId.toLowerCase());
  if (!application) return fail(identityErrors.unknownApplication(clientId, tenant.id));
  const scope = form.get('scope');
  if (scope === null) return fail(identityErrors.missingParameter('scope'));
  if (!context.acceptedScopes.includes(scope)) return fail(identityErrors.invalidScope(scope));

  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (!application.secrets.includes(secret)) return fail(identityErrors.invalidSecret(clientId));
  } else if (assertion !== null) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
      return fail(identityErrors.badAssertion(`client_assertion_type must be ${ASSERTION_TYPE}.`));
    }
    const problem = checkAssertion(assertion, application, context);
    if (problem) return fail(problem);
  } else {
    return fail(identityErrors.missingCredential());
  }
  const expiresIn = context.lifetimeSeconds;
  return {
    ok: true,
    token: `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${opaqueToken()}.${opaqueToken()}`,
    issued: {
      tenantId: tenant.id,
      clientId: application.clientId,
      roles: new Set(application.permissions),
      expiresAt: Date.now() + expiresIn * 1000,
    },
    expiresIn,
  };
}

function checkAssertion(
  assertion: string,
  application: FakeApplication,
  context: TokenRequestContext,
): IdentityError | undefined {
  const parts = assertion.split('.');
  const [encodedHeader, encodedClaims, encodedSignature] = parts;
  if (parts.length !== 3 || !encodedHeader || !encodedClaims || encodedSignature === undefined) {
    return identityErrors.badAssertion('Client assertion is not a valid JWT.');
  }
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(encodedClaims, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return identityErrors.badAssertion('Client assertion is not a valid JWT.');
  }
  if (header['alg'] !== 'RS256' && header['alg'] !== 'PS256') {
    return identityErrors.badAssertion(
      `Client assertion uses an unsupported algorithm '${String(header['alg'])}'.`,
    );
  }
  const sha256 = header['x5t#S256'];
  const sha1 = header['x5t'];
  const certificate = application.certificates
    .map((pem) => new X509Certificate(pem))
    .find((c) =>
      typeof sha256 === 'string'
        ? createHash('sha256').update(c.raw).digest('base64url') === sha256
        : typeof sha1 === 'string' && createHash('sha1').update(c.raw).digest('base64url') === sha1,
    );
  if (!certificate) {
    return identityErrors.badAssertion(
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(sha256 ?? sha1)}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${application.clientId}'.]`,
    );
  }
  const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
  const signature = Buffer.from(encodedSignature, 'base64url');
  const key = createPublicKey(certificate.publicKey.export({ type: 'spki', format: 'pem' }));
  const valid =
    header['alg'] === 'RS256'
      ? verify('sha256', signed, key, signature)
      : verify('sha256', signed, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, signature);
  if (!valid) return identityErrors.badAssertion('Client assertion failed signature validation.');
  if (claims['aud'] !== context.tokenUrl) {
    return identityErrors.badAssertion(
      `The audience '${String(claims['aud'])}' of the client assertion is invalid. It must be '${context.tokenUrl}'.`,
    );
  }
  if (claims['iss'] !== application.clientId || claims['sub'] !== application.clientId) {
    return identityErrors.badAssertion(
      'Client assertion issuer and subject must both be the application id.',
    );
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = claims['exp'];
  const nbf = claims['nbf'];
  if (typeof exp !== 'number' || typeof nbf !== 'number') {
    return identityErrors.badAssertion("Client assertion must contain numeric 'exp' and 'nbf' claims.");
  }
  if (exp + CLOCK_SKEW_SECONDS < now || nbf - CLOCK_SKEW_SECONDS > now)
    return identityErrors.assertionOutsideValidity();
  const jti = claims['jti'];
  if (typeof jti !== 'string' || jti.length === 0) {
    return identityErrors.badAssertion("Client assertion must contain a 'jti' claim.");
  }
  if (context.seenAssertionIds.has(jti)) {
    return identityErrors.badAssertion(`Client assertion with jti '${jti}' has already been used.`);
  }
  context.seenAssertionIds.add(jti);
  return undefined;
}
