import { GraphError } from '@microsoft/microsoft-graph-client';

import { type ConnectionErrorCategory, ContractError, type ContractErrorCode } from '@mailkeep/contracts';

import { retryAfterMs } from './retry-after.js';
import { IdentityPlatformError } from './token-client.js';

/**
 * What an identity-platform or Graph failure means for Mailkeep: the contract error code, the
 * test-connection category a person can act on (SPEC P11), a plain explanation, and Microsoft's
 * own text untranslated.
 */
export interface ParsedGraphError {
  readonly code: ContractErrorCode;
  readonly category: ConnectionErrorCategory;
  /** Mailkeep's explanation in plain words. */
  readonly message: string;
  /** Microsoft's message (with its AADSTS code or Graph error code), for `serverMessage`. */
  readonly serverMessage: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** `AADSTS7000215`, `ErrorAccessDenied`, `SyncStateNotFound`, … */
  readonly microsoftCode?: string;
  /** For THROTTLED: how long the service asked to wait (uncapped), when it said. */
  readonly retryAfterMs?: number;
  /** A 410 / `SyncStateNotFound` / `resyncRequired`: restart the delta from scratch. */
  readonly resyncRequired: boolean;
}

/** AADSTS codes that mean the credential itself was refused. */
const CREDENTIAL_REJECTED = new Map<number, string>([
  [7000215, 'The client secret is wrong (use the secret’s value, not its id).'],
  [7000222, 'The client secret has expired; create a new one in Entra ID.'],
  [
    700027,
    'The certificate assertion was refused: the certificate is not registered on the app, or the signature does not match.',
  ],
  [700024, 'The certificate assertion is outside its validity time; check the worker’s clock.'],
  [7000218, 'No client secret or certificate was sent.'],
  [700023, 'The certificate assertion was refused.'],
]);

/** AADSTS codes that mean the tenant or app settings are wrong. */
const CONFIGURATION = new Map<number, string>([
  [90002, 'The directory (tenant) id is unknown; check it in the Entra admin center.'],
  [900023, 'The directory (tenant) id is not a valid GUID or domain.'],
  [700016, 'The application (client) id is unknown in this directory, or the app has not been consented to.'],
  [1002012, 'The scope was refused; app-only access needs the Graph resource’s /.default scope.'],
  [90014, 'A required field is missing from the token request.'],
]);

const AUTHORIZATION = new Map<number, string>([
  [7000112, 'The application is disabled in this directory.'],
  [50105, 'The application is not assigned to a role that allows access.'],
]);

const GRAPH_AUTHORIZATION: Record<string, string> = {
  ErrorAccessDenied:
    'Access was denied: grant the app the Mail.Read application permission (Mail.ReadWrite to delete in source) with admin consent, and check that no application access policy excludes this mailbox.',
  Authorization_RequestDenied:
    'Access was denied: grant the app the User.Read.All (and GroupMember.Read.All) application permission with admin consent.',
  AccessDenied: 'Access was denied: the app lacks the application permission this call needs.',
  ErrorInsufficientPermissionsInAccessToken: 'The access token lacks the permission this call needs.',
};

const GRAPH_CONFIGURATION: Record<string, string> = {
  MailboxNotEnabledForRESTAPI:
    'This user has no Exchange Online mailbox (unlicensed, a guest, or hosted on-premises).',
  ResourceNotFound: 'The mailbox was not found; check the address.',
  ErrorInvalidUser: 'The mailbox was not found; check the address.',
  Request_ResourceNotFound: 'The user or group was not found in the directory.',
  ErrorNonExistentMailbox: 'The mailbox does not exist.',
};

export function parseGraphError(error: unknown, now = Date.now()): ParsedGraphError {
  if (error instanceof IdentityPlatformError) return parseIdentityError(error, now);
  if (error instanceof GraphError) return parseGraphResponseError(error, now);
  if (error instanceof ContractError) {
    return {
      code: error.code,
      category: error.code === 'TIMEOUT' ? 'timeout' : 'protocol',
      message: error.message,
      serverMessage: error.message,
      resyncRequired: false,
    };
  }
  const text = describe(error);
  return {
    code: 'UNAVAILABLE',
    category: 'network',
    message: 'Microsoft 365 could not be reached.',
    serverMessage: text,
    resyncRequired: false,
  };
}

function parseIdentityError(error: IdentityPlatformError, now: number): ParsedGraphError {
  const code = error.errorCodes[0];
  const base = {
    status: error.status,
    serverMessage: error.description,
    resyncRequired: false,
    ...(code !== undefined && { microsoftCode: `AADSTS${code}` }),
  };
  if (error.status === 429 || error.status >= 500)
    return throttledOrUnavailable(error.status, error.headers, base, now);
  if (code !== undefined && CREDENTIAL_REJECTED.has(code)) {
    return {
      ...base,
      code: 'AUTH_FAILED',
      category: 'authentication',
      message: CREDENTIAL_REJECTED.get(code) ?? '',
    };
  }
  if (code !== undefined && CONFIGURATION.has(code)) {
    return { ...base, code: 'VALIDATION', category: 'configuration', message: CONFIGURATION.get(code) ?? '' };
  }
  if (code !== undefined && AUTHORIZATION.has(code)) {
    return { ...base, code: 'FORBIDDEN', category: 'authorization', message: AUTHORIZATION.get(code) ?? '' };
  }
  if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
    return {
      ...base,
      code: 'AUTH_FAILED',
      category: 'authentication',
      message: 'The identity platform refused the app’s credentials.',
    };
  }
  return {
    ...base,
    code: 'AUTH_FAILED',
    category: 'protocol',
    message: 'The identity platform refused the token request.',
  };
}

function parseGraphResponseError(error: GraphError, now: number): ParsedGraphError {
  const graphCode = error.code ?? undefined;
  const status = error.statusCode;
  const base = {
    status,
    serverMessage: graphCode ? `${graphCode}: ${error.message}` : error.message,
    resyncRequired: false,
    ...(graphCode && { microsoftCode: graphCode }),
  };
  if (status === -1 || status === 0) {
    return {
      ...base,
      code: 'UNAVAILABLE',
      category: 'network',
      message: 'Microsoft Graph could not be reached.',
    };
  }
  if (status === 410 || graphCode === 'SyncStateNotFound' || graphCode === 'resyncRequired') {
    return {
      ...base,
      code: 'TEMPORARY',
      category: 'protocol',
      message: 'The delta token expired; the folder is read again from the start.',
      resyncRequired: true,
    };
  }
  if (status === 429 || status >= 500) return throttledOrUnavailable(status, error.headers, base, now);
  if (status === 401) {
    return {
      ...base,
      code: 'AUTH_FAILED',
      category: 'authentication',
      message: 'Microsoft Graph refused the access token.',
    };
  }
  if (graphCode && GRAPH_AUTHORIZATION[graphCode]) {
    return { ...base, code: 'FORBIDDEN', category: 'authorization', message: GRAPH_AUTHORIZATION[graphCode] };
  }
  if (status === 403) {
    return {
      ...base,
      code: 'FORBIDDEN',
      category: 'authorization',
      message: GRAPH_AUTHORIZATION['AccessDenied'] ?? '',
    };
  }
  if (graphCode && GRAPH_CONFIGURATION[graphCode]) {
    return { ...base, code: 'NOT_FOUND', category: 'configuration', message: GRAPH_CONFIGURATION[graphCode] };
  }
  if (graphCode === 'ErrorItemNotFound' || status === 404) {
    return { ...base, code: 'NOT_FOUND', category: 'protocol', message: 'The item no longer exists.' };
  }
  return {
    ...base,
    code: 'VALIDATION',
    category: 'protocol',
    message: 'Microsoft Graph refused the request.',
  };
}

/**
 * 429 and 503/504 (and other 5xx) are the service asking for a pause; Outlook sends Retry-After
 * on most of them. Counted as throttling either way.
 */
function throttledOrUnavailable(
  status: number,
  headers: Pick<Headers, 'get'> | undefined,
  base: Omit<ParsedGraphError, 'code' | 'category' | 'message'>,
  now: number,
): ParsedGraphError {
  const wait = retryAfterMs(headers, now);
  const throttled = status === 429 || status === 503 || status === 504;
  return {
    ...base,
    code: throttled ? 'THROTTLED' : 'UNAVAILABLE',
    category: throttled ? 'throttled' : 'network',
    message: throttled
      ? 'Microsoft 365 is throttling requests; they are retried after the wait it asked for.'
      : 'Microsoft 365 had a server error.',
    ...(wait !== undefined && { retryAfterMs: wait }),
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
