/**
 * Google's error bodies, word for word where Google documents them (the Gmail "Resolve errors"
 * guide, RFC 6749 §5.2 as oauth2.googleapis.com words it). Nothing here speaks HTTP.
 */
export interface GoogleFakeError {
  readonly status: number;
  readonly body: unknown;
}

/** The API error envelope: `{ error: { code, message, errors: [{ message, domain, reason }], status } }`. */
export function apiError(
  status: number,
  message: string,
  reason: string,
  statusText: string,
  domain = 'global',
  extra: Record<string, string> = {},
): GoogleFakeError {
  return {
    status,
    body: {
      error: { code: status, message, errors: [{ message, domain, reason, ...extra }], status: statusText },
    },
  };
}

export const googleApiErrors = {
  invalidCredentials: (): GoogleFakeError =>
    apiError(
      401,
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      'authError',
      'UNAUTHENTICATED',
      'global',
      { location: 'Authorization', locationType: 'header' },
    ),
  insufficientScopes: (): GoogleFakeError =>
    apiError(
      403,
      'Request had insufficient authentication scopes.',
      'insufficientPermissions',
      'PERMISSION_DENIED',
    ),
  delegationDenied: (user: string): GoogleFakeError =>
    apiError(403, `Delegation denied for ${user}`, 'forbidden', 'PERMISSION_DENIED'),
  mailServiceNotEnabled: (): GoogleFakeError =>
    apiError(400, 'Mail service not enabled', 'failedPrecondition', 'FAILED_PRECONDITION'),
  notFound: (): GoogleFakeError => apiError(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND'),
  invalidArgument: (message: string): GoogleFakeError =>
    apiError(400, message, 'invalidArgument', 'INVALID_ARGUMENT'),
  /** 429 for too many concurrent requests for one user (the usage-limits guide). */
  tooManyConcurrent: (): GoogleFakeError =>
    apiError(
      429,
      'Too many concurrent requests for user',
      'rateLimitExceeded',
      'RESOURCE_EXHAUSTED',
      'usageLimits',
    ),
  /** 403 per-user quota (15,000 units per user per minute). */
  userRateLimit: (): GoogleFakeError =>
    apiError(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded', 'PERMISSION_DENIED', 'usageLimits'),
  /** 403 per-project quota. */
  rateLimit: (): GoogleFakeError =>
    apiError(403, 'Rate Limit Exceeded', 'rateLimitExceeded', 'PERMISSION_DENIED', 'usageLimits'),
  backendError: (): GoogleFakeError => apiError(500, 'Backend Error', 'backendError', 'INTERNAL'),
  methodNotFound: (): GoogleFakeError => apiError(404, 'Method not found.', 'notFound', 'NOT_FOUND'),
};

/** The token endpoint's bodies: `{ error, error_description }`. */
export function oauthError(status: number, error: string, description: string): GoogleFakeError {
  return { status, body: { error, error_description: description } };
}

export const oauthErrors = {
  /** No domain-wide delegation for the client id, or not for every requested scope. */
  unauthorizedClient: (): GoogleFakeError =>
    oauthError(
      401,
      'unauthorized_client',
      'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    ),
  invalidSignature: (): GoogleFakeError => oauthError(400, 'invalid_grant', 'Invalid JWT Signature.'),
  unknownSubject: (): GoogleFakeError => oauthError(400, 'invalid_grant', 'Invalid email or User ID'),
  badTimeframe: (): GoogleFakeError =>
    oauthError(
      400,
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    ),
  badAudience: (): GoogleFakeError => oauthError(400, 'invalid_grant', 'Invalid JWT: Failed audience check.'),
  unknownClient: (): GoogleFakeError => oauthError(401, 'invalid_client', 'The OAuth client was not found.'),
  unsupportedGrant: (grantType: string): GoogleFakeError =>
    oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`),
  invalidRequest: (description: string): GoogleFakeError => oauthError(400, 'invalid_request', description),
  invalidScope: (): GoogleFakeError =>
    oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.'),
};
