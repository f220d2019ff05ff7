import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';

import { ContractError } from '@mailkeep/contracts';

import { parseGraphError } from './parse-graph-error.js';
import { IdentityPlatformError } from './token-client.js';

/** Bodies as Entra ID and Graph send them (trace ids from real responses' shapes). */
function identity(
  status: number,
  error: string,
  code: number,
  text: string,
  headers: Record<string, string> = {},
): IdentityPlatformError {
  return new IdentityPlatformError(
    status,
    error,
    [code],
    `AADSTS${code}: ${text} Trace ID: 0f3a5d2c-8a1b-4f6e-9c7d-2b4e6f8a1c3e Correlation ID: 5e2d4c6b-7a8f-4b1c-9d3e-1f2a3b4c5d6e Timestamp: 2026-12-07 06:20:00Z`,
    new Headers(headers),
  );
}

function graph(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphError {
  const error = new GraphError(status, message);
  error.code = code;
  error.headers = new Headers(headers);
  return error;
}

describe('parseGraphError', () => {
  it.each([
    [
      identity(401, 'invalid_client', 7000215, 'Invalid client secret provided.'),
      'AUTH_FAILED',
      'authentication',
      'AADSTS7000215',
    ],
    [
      identity(401, 'invalid_client', 700027, 'Client assertion failed signature validation.'),
      'AUTH_FAILED',
      'authentication',
      'AADSTS700027',
    ],
    [
      identity(
        400,
        'unauthorized_client',
        700016,
        "Application with identifier 'x' was not found in the directory 'y'.",
      ),
      'VALIDATION',
      'configuration',
      'AADSTS700016',
    ],
    [
      identity(400, 'invalid_request', 90002, "Tenant 'x' not found."),
      'VALIDATION',
      'configuration',
      'AADSTS90002',
    ],
    [
      graph(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
      'FORBIDDEN',
      'authorization',
      'ErrorAccessDenied',
    ],
    [
      graph(404, 'MailboxNotEnabledForRESTAPI', 'REST API is not yet supported for this mailbox.'),
      'NOT_FOUND',
      'configuration',
      'MailboxNotEnabledForRESTAPI',
    ],
    [
      graph(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
      'NOT_FOUND',
      'protocol',
      'ErrorItemNotFound',
    ],
    [
      graph(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'),
      'AUTH_FAILED',
      'authentication',
      'InvalidAuthenticationToken',
    ],
  ] as const)('maps %s', (error, code, category, microsoftCode) => {
    const parsed = parseGraphError(error);
    expect(parsed).toMatchObject({ code, category, microsoftCode, resyncRequired: false });
    expect(parsed.serverMessage).toContain(error.message.slice(0, 20));
    expect(parsed.message.length).toBeGreaterThan(10);
  });

  it('reads Retry-After in seconds and as an HTTP-date on 429, 503 and 504', () => {
    const now = Date.parse('2026-12-07T06:20:00Z');
    expect(
      parseGraphError(
        graph(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
          'Retry-After': '7',
        }),
        now,
      ),
    ).toMatchObject({
      code: 'THROTTLED',
      category: 'throttled',
      retryAfterMs: 7000,
    });
    expect(
      parseGraphError(
        graph(503, 'ServiceUnavailable', 'Retry later.', { 'Retry-After': 'Mon, 07 Dec 2026 06:20:03 GMT' }),
        now,
      ),
    ).toMatchObject({
      code: 'THROTTLED',
      retryAfterMs: 3000,
    });
    expect(parseGraphError(graph(504, 'UnknownError', 'The request timed out.'), now)).toMatchObject({
      code: 'THROTTLED',
    });
    expect(parseGraphError(graph(504, 'UnknownError', ''), now).retryAfterMs).toBeUndefined();
    expect(
      parseGraphError(
        identity(429, 'temporarily_unavailable', 50196, 'Too many requests.', { 'Retry-After': '2' }),
        now,
      ),
    ).toMatchObject({
      code: 'THROTTLED',
      retryAfterMs: 2000,
    });
  });

  it('flags an expired delta token for a restart', () => {
    expect(
      parseGraphError(
        graph(410, 'SyncStateNotFound', 'The sync state generation is not found; generation=3;'),
      ),
    ).toMatchObject({
      resyncRequired: true,
      code: 'TEMPORARY',
    });
  });

  it('treats transport failures as unavailable and keeps contract errors', () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:443'),
    });
    expect(parseGraphError(fetchFailed)).toMatchObject({
      code: 'UNAVAILABLE',
      category: 'network',
      serverMessage: 'fetch failed: connect ECONNREFUSED 127.0.0.1:443',
    });
    expect(parseGraphError(new ContractError('TIMEOUT', 'GET /users did not complete'))).toMatchObject({
      code: 'TIMEOUT',
      category: 'timeout',
    });
  });
});
