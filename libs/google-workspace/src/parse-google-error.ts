import { type ConnectionErrorCategory, ContractError, type ContractErrorCode } from '@mailkeep/contracts';

import { GoogleApiError } from './google-api-error.js';
import { GoogleOAuthError } from './token-client.js';

/**
 * What a Google OAuth, Gmail or Admin SDK failure means for Mailkeep: the contract error code,
 * the test-connection category a person can act on (SPEC P11), a plain explanation, and Google's
 * own text untranslated.
 */
export interface ParsedGoogleError {
  readonly code: ContractErrorCode;
  readonly category: ConnectionErrorCategory;
  /** Mailkeep's explanation in plain words. */
  readonly message: string;
  /** Google's message with its OAuth error or API reason, for `serverMessage`. */
  readonly serverMessage: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** OAuth `error` (`invalid_grant`) or API `errors[0].reason` (`userRateLimitExceeded`). */
  readonly googleReason?: string;
  /** For THROTTLED: how long Google asked to wait, when it sent `Retry-After` (it rarely does). */
  readonly retryAfterMs?: number;
}

/** API reasons that are a quota talking (Gmail sends them with 403 or 429; the "Resolve errors" guide). */
const QUOTA_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'quotaExceeded',
  'dailyLimitExceeded',
  'concurrentLimitExceeded',
]);

const API_AUTHORIZATION: Record<string, string> = {
  insufficientPermissions:
    'The token lacks a scope this call needs: grant the service account the scopes listed in the connector README under domain-wide delegation.',
  forbidden: 'Google refused access to this resource.',
  domainPolicy: 'A Workspace policy forbids API access for this user or domain.',
};

const API_CONFIGURATION: Record<string, string> = {
  failedPrecondition:
    'This user has no Gmail mailbox (Gmail is not enabled for the user, or the account has no Workspace licence).',
  accessNotConfigured:
    'The Gmail API (or Admin SDK) is not enabled in the service account’s Google Cloud project.',
  notFound: 'The user or resource was not found.',
  invalid: 'Google refused a value in the request.',
};

export function parseGoogleError(error: unknown): ParsedGoogleError {
  if (error instanceof GoogleOAuthError) return parseOAuthError(error);
  if (error instanceof GoogleApiError) return parseApiError(error);
  if (error instanceof ContractError) {
    return {
      code: error.code,
      category: error.code === 'TIMEOUT' ? 'timeout' : 'protocol',
      message: error.message,
      serverMessage: error.message,
    };
  }
  if (isAbortTimeout(error)) {
    return {
      code: 'TIMEOUT',
      category: 'timeout',
      message: 'Google did not answer in time.',
      serverMessage: describe(error),
    };
  }
  return {
    code: 'UNAVAILABLE',
    category: 'network',
    message: 'Google could not be reached.',
    serverMessage: describe(error),
  };
}

/**
 * The token endpoint's refusals (RFC 6749 §5.2 as Google words them):
 * - `unauthorized_client`: the client id has no domain-wide delegation, or not for every
 *   requested scope → authorization (an admin must grant it).
 * - `invalid_grant`: Google uses it for several things, told apart by the description: a key that
 *   was deleted or does not match ("Invalid JWT Signature") is authentication; an unknown,
 *   deleted or mistyped user ("Invalid email or User ID") and a wrong clock ("…reasonable
 *   timeframe…") are configuration.
 * - `invalid_client` (the service account or key is deleted / disabled) → authentication.
 */
function parseOAuthError(error: GoogleOAuthError): ParsedGoogleError {
  const base = {
    status: error.status,
    serverMessage: `${error.error}: ${error.description}`,
    googleReason: error.error,
  };
  if (error.status === 429 || error.status >= 500)
    return throttledOrUnavailable(error.status, error.headers, base);
  const description = error.description.toLowerCase();
  switch (error.error) {
    case 'unauthorized_client':
      return {
        ...base,
        code: 'FORBIDDEN',
        category: 'authorization',
        message:
          'The service account is not authorised for these scopes: grant its client id domain-wide delegation with the scopes in the connector README (Admin console → Security → API controls).',
      };
    case 'invalid_grant':
      if (description.includes('signature')) {
        return {
          ...base,
          code: 'AUTH_FAILED',
          category: 'authentication',
          message:
            'Google refused the key’s signature: the key was deleted or replaced; upload a current JSON key.',
        };
      }
      if (description.includes('timeframe') || description.includes('iat') || description.includes('exp')) {
        return {
          ...base,
          code: 'VALIDATION',
          category: 'configuration',
          message: 'Google refused the assertion’s time: check the worker’s clock.',
        };
      }
      if (description.includes('email') || description.includes('user')) {
        return {
          ...base,
          code: 'VALIDATION',
          category: 'configuration',
          message: 'Google does not know this user: check the mailbox address (a deleted or mistyped user).',
        };
      }
      return {
        ...base,
        code: 'AUTH_FAILED',
        category: 'authentication',
        message: 'Google refused the service account’s grant.',
      };
    case 'invalid_client':
    case 'disabled_client':
      return {
        ...base,
        code: 'AUTH_FAILED',
        category: 'authentication',
        message: 'Google does not accept this service account or key (deleted or disabled).',
      };
    default:
      return {
        ...base,
        code: 'AUTH_FAILED',
        category: 'protocol',
        message: 'Google’s token endpoint refused the request.',
      };
  }
}

function parseApiError(error: GoogleApiError): ParsedGoogleError {
  const reason = error.reason;
  const base = {
    status: error.status,
    serverMessage: `${reason ?? (error.statusCode || error.status)}: ${error.serverMessage}`,
    ...(reason && { googleReason: reason }),
  };
  if (error.status === 429 || (reason && QUOTA_REASONS.has(reason)))
    return throttledOrUnavailable(429, error.headers, base);
  if (error.status >= 500) return throttledOrUnavailable(error.status, error.headers, base);
  if (error.status === 401) {
    return {
      ...base,
      code: 'AUTH_FAILED',
      category: 'authentication',
      message: 'Google refused the access token.',
    };
  }
  if (reason && API_CONFIGURATION[reason] && (reason !== 'notFound' || error.status === 404)) {
    return {
      ...base,
      code: reason === 'notFound' ? 'NOT_FOUND' : 'VALIDATION',
      category: reason === 'notFound' ? 'protocol' : 'configuration',
      message: API_CONFIGURATION[reason],
    };
  }
  if (error.status === 403) {
    return {
      ...base,
      code: 'FORBIDDEN',
      category: 'authorization',
      message: (reason && API_AUTHORIZATION[reason]) ?? API_AUTHORIZATION['forbidden'] ?? '',
    };
  }
  if (error.status === 404) {
    return { ...base, code: 'NOT_FOUND', category: 'protocol', message: 'The item no longer exists.' };
  }
  if (error.statusCode === 'FAILED_PRECONDITION') {
    return {
      ...base,
      code: 'VALIDATION',
      category: 'configuration',
      message: API_CONFIGURATION['failedPrecondition'] ?? '',
    };
  }
  return { ...base, code: 'VALIDATION', category: 'protocol', message: 'Google refused the request.' };
}

/** Quota errors and 5xx are Google asking for a pause; counted as throttling, retried with back-off. */
function throttledOrUnavailable(
  status: number,
  headers: Pick<Headers, 'get'>,
  base: Omit<ParsedGoogleError, 'code' | 'category' | 'message'>,
): ParsedGoogleError {
  const wait = retryAfterMs(headers);
  const throttled = status === 429 || status === 503;
  return {
    ...base,
    code: throttled ? 'THROTTLED' : 'UNAVAILABLE',
    category: throttled ? 'throttled' : 'network',
    message: throttled
      ? 'Google’s quota for this user or project is exhausted for now; requests are retried with back-off.'
      : 'Google had a server error.',
    ...(wait !== undefined && { retryAfterMs: wait }),
  };
}

/** Delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(
  headers: Pick<Headers, 'get'> | undefined,
  now = Date.now(),
): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isAbortTimeout(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'TimeoutError' || (error as { code?: unknown }).code === 'ETIMEDOUT')
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
