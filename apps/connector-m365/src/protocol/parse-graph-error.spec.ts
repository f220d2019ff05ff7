import { categorise, ConnectionTestFailure, ThrottledError } from '@mailkeep/connector-kit';
import { IdentityPlatformError } from '@mailkeep/microsoft-graph';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';

import {
  ITEM_NOT_FOUND,
  RESYNC_REQUIRED,
  toConnectionTestFailure,
  toContractError,
} from './parse-graph-error.js';

const wrongSecret = (): IdentityPlatformError =>
  new IdentityPlatformError(
    401,
    'invalid_client',
    [7000215],
    "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '1b730954-1685-4b74-9bfd-dac224a7b894'. Trace ID: 0f3a5d2c-8a1b-4f6e-9c7d-2b4e6f8a1c3e Correlation ID: 5e2d4c6b-7a8f-4b1c-9d3e-1f2a3b4c5d6e Timestamp: 2026-12-07 06:20:00Z",
    new Headers(),
  );

function graphError(
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

describe('toContractError', () => {
  it('makes a refused credential a permanent authentication failure (never retried, C5)', () => {
    const error = toContractError(wrongSecret(), 'token for alice@contoso.example');
    expect(error).toMatchObject({ code: 'AUTH_FAILED', reason: 'authentication' });
    expect(error.message).toContain('AADSTS7000215');
    expect(categorise(error)).toMatchObject({ category: 'authentication', retryable: false });
  });

  it('makes 429 a ThrottledError with the Retry-After wait, and 403 a permanent authorization failure', () => {
    const throttled = toContractError(
      graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
        'Retry-After': '4',
      }),
      'GET $value',
    );
    expect(throttled).toBeInstanceOf(ThrottledError);
    expect((throttled as ThrottledError).retryAfterMs).toBe(4000);
    const denied = toContractError(
      graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
      'delta',
    );
    expect(categorise(denied)).toMatchObject({ category: 'authorization', retryable: false });
  });

  it('marks an evicted delta token and a vanished message so the connector can act on them', () => {
    expect(
      toContractError(
        graphError(410, 'SyncStateNotFound', 'The sync state generation is not found; generation=2;'),
        'delta',
      ).reason,
    ).toBe(RESYNC_REQUIRED);
    expect(
      toContractError(
        graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
        'GET $value',
      ).reason,
    ).toBe(ITEM_NOT_FOUND);
  });
});

describe('toConnectionTestFailure', () => {
  it('keeps Microsoft’s message as serverMessage with the category a person can act on', () => {
    const failure = toConnectionTestFailure(wrongSecret());
    expect(failure).toBeInstanceOf(ConnectionTestFailure);
    expect(failure.category).toBe('authentication');
    expect(failure.serverMessage).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(
      toConnectionTestFailure(
        graphError(404, 'MailboxNotEnabledForRESTAPI', 'REST API is not yet supported for this mailbox.'),
      ).category,
    ).toBe('configuration');
    expect(
      toConnectionTestFailure(graphError(429, 'ApplicationThrottled', 'Too many requests')).category,
    ).toBe('throttled');
  });
});
