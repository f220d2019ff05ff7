import { guid } from './ids.js';

/**
 * Error bodies exactly as Microsoft documents and sends them: the identity platform's OAuth error
 * (`error`, `error_description` starting `AADSTSnnnn:` and ending with the trace, correlation id and
 * timestamp lines, `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`) and
 * Graph's `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`.
 */

export interface IdentityError {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** `2026-12-07 06:20:00Z`: the identity platform's timestamp format (no `T`, no fraction). */
const identityTimestamp = (now: Date): string => `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;

export function identityError(
  status: number,
  error: string,
  code: number,
  description: string,
  now = new Date(),
): IdentityError {
  const traceId = guid();
  const correlationId = guid();
  const timestamp = identityTimestamp(now);
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export const identityErrors = {
  unknownTenant: (tenant: string): IdentityError =>
    identityError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unknownApplication: (clientId: string, tenant: string): IdentityError =>
    identityError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidSecret: (clientId: string): IdentityError =>
    identityError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  missingCredential: (): IdentityError =>
    identityError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  badAssertion: (reason: string): IdentityError => identityError(401, 'invalid_client', 700027, reason),
  assertionOutsideValidity: (): IdentityError =>
    identityError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.'),
  invalidScope: (scope: string): IdentityError =>
    identityError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  unsupportedGrant: (grant: string): IdentityError =>
    identityError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    ),
  missingParameter: (name: string): IdentityError =>
    identityError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
};

export interface GraphError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

export function graphErrorBody(
  error: GraphError,
  requestId: string,
  clientRequestId: string,
  now = new Date(),
): Record<string, unknown> {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        // Graph writes the date without fractional seconds.
        date: `${now.toISOString().slice(0, 19)}`,
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}

export const graphErrors = {
  emptyToken: (): GraphError => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'Access token is empty.',
    headers: {
      'WWW-Authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    },
  }),
  invalidToken: (): GraphError => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'IDX14100: JWT is not well formed, there are no dots (.).',
  }),
  expiredToken: (): GraphError => ({
    status: 401,
    code: 'InvalidAuthenticationToken',
    message: 'Lifetime validation failed, the token is expired.',
  }),
  accessDenied: (): GraphError => ({
    status: 403,
    code: 'ErrorAccessDenied',
    message: 'Access is denied. Check credentials and try again.',
  }),
  directoryDenied: (): GraphError => ({
    status: 403,
    code: 'Authorization_RequestDenied',
    message: 'Insufficient privileges to complete the operation.',
  }),
  mailboxNotEnabled: (): GraphError => ({
    status: 404,
    code: 'MailboxNotEnabledForRESTAPI',
    message: 'REST API is not yet supported for this mailbox.',
  }),
  invalidUser: (user: string): GraphError => ({
    status: 404,
    code: 'ErrorInvalidUser',
    message: `The requested user '${user}' is invalid.`,
  }),
  directoryObjectNotFound: (id: string): GraphError => ({
    status: 404,
    code: 'Request_ResourceNotFound',
    message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  }),
  itemNotFound: (): GraphError => ({
    status: 404,
    code: 'ErrorItemNotFound',
    message: 'The specified object was not found in the store.',
  }),
  invalidId: (): GraphError => ({
    status: 400,
    code: 'ErrorInvalidIdMalformed',
    message: 'Id is malformed.',
  }),
  badRequest: (message: string): GraphError => ({ status: 400, code: 'BadRequest', message }),
  unsupportedQuery: (message: string): GraphError => ({
    status: 400,
    code: 'Request_UnsupportedQuery',
    message,
  }),
  noRoute: (): GraphError => ({
    status: 400,
    code: 'BadRequest',
    message: 'Resource not found for the segment.',
  }),
  syncStateNotFound: (generation: number): GraphError => ({
    status: 410,
    code: 'SyncStateNotFound',
    message: `The sync state generation is not found; generation=${generation};`,
  }),
  throttled: (retryAfter: string): GraphError => ({
    status: 429,
    code: 'ApplicationThrottled',
    message: 'Application is over its MailboxConcurrency limit.',
    headers: { 'Retry-After': retryAfter },
  }),
  serviceUnavailable: (retryAfter: string): GraphError => ({
    status: 503,
    code: 'ServiceUnavailable',
    message: 'The service is temporarily unavailable. Please retry later.',
    headers: { 'Retry-After': retryAfter },
  }),
  gatewayTimeout: (): GraphError => ({
    status: 504,
    code: 'UnknownError',
    message: 'The request timed out.',
  }),
};
