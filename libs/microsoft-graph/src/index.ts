/**
 * @mailkeep/microsoft-graph: app-only access to Microsoft Graph for the Microsoft 365 connector
 * and the directory service — client-credentials tokens (client secret or certificate assertion),
 * their cache, the Graph SDK client for the configured endpoints, and error parsing.
 */
export {
  credentialFingerprint,
  credentialFromSecret,
  type AppCredential,
  type AppRegistration,
  type SecretMaterial,
} from './app-credential.js';
export { buildClientAssertion, type ClientAssertionInput } from './client-assertion.js';
export {
  GLOBAL_CLOUD_ENDPOINTS,
  GRAPH_VERSION,
  graphBaseUrl,
  graphScope,
  tokenUrl,
  type MicrosoftEndpoints,
} from './endpoints.js';
export { createGraphClient, type GraphClientOptions } from './graph-client.js';
export { parseGraphError, type ParsedGraphError } from './parse-graph-error.js';
export { retryAfterMs } from './retry-after.js';
export {
  AppTokenCache,
  REJECTED_CREDENTIAL_TTL_MS,
  TOKEN_REFRESH_MARGIN_MS,
  type AcquireToken,
} from './token-cache.js';
export {
  IdentityPlatformError,
  requestAppToken,
  type AccessToken,
  type TokenRequestOptions,
} from './token-client.js';
