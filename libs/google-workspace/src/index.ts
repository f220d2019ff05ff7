/**
 * @mailkeep/google-workspace: service-account access to Google Workspace for the Gmail connector
 * and the directory service's `google-workspace` type — the JSON key, delegated (domain-wide)
 * tokens and their cache, authorised REST calls, and the mapping of Google's error bodies.
 */
export {
  directoryUrl,
  GOOGLE_DEFAULT_ENDPOINTS,
  GOOGLE_SCOPES,
  gmailUserUrl,
  type GoogleEndpoints,
} from './endpoints.js';
export {
  parseServiceAccountKey,
  serviceAccountFingerprint,
  serviceAccountKeyFromSecret,
  type ServiceAccountKey,
  type ServiceAccountSecret,
} from './service-account-key.js';
export { buildDelegationAssertion, type DelegationAssertionInput } from './delegation-assertion.js';
export {
  GoogleOAuthError,
  requestDelegatedToken,
  type AccessToken,
  type DelegatedTokenRequest,
  type TokenRequestOptions,
} from './token-client.js';
export {
  DelegatedTokenCache,
  REJECTED_GRANT_TTL_MS,
  TOKEN_REFRESH_MARGIN_MS,
  type AcquireDelegatedToken,
} from './token-cache.js';
export { GoogleApiError, googleApiErrorFromBody, readGoogleApiError } from './google-api-error.js';
export {
  googleFetch,
  googleJson,
  withQuery,
  type GoogleQuery,
  type GoogleRequest,
} from './google-request.js';
export { parseGoogleError, retryAfterMs, type ParsedGoogleError } from './parse-google-error.js';
