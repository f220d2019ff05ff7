import { categorise, ThrottledError } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { ImapSettingsError } from './imap-settings.js';
import { classifyTestFailure, FOLDER_MISSING, toContractError } from './parse-imap-error.js';

const imapError = (fields: Record<string, unknown>, message = 'Command failed') =>
  Object.assign(new Error(message), fields);

describe('toContractError', () => {
  it('makes rejected credentials AUTH_FAILED, never retried', () => {
    const error = toContractError(
      imapError({
        authenticationFailed: true,
        serverResponseCode: 'AUTHENTICATIONFAILED',
        response: 'Authentication failed.',
      }),
      'login',
    );
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe('login: [AUTHENTICATIONFAILED] Authentication failed.');
    expect(categorise(error)).toMatchObject({ category: 'authentication', retryable: false });
  });

  it('honours Office 365 "Suggested Backoff Time" and [THROTTLED] through ThrottledError', () => {
    const o365 = toContractError(
      imapError({
        code: 'ETHROTTLE',
        throttleReset: 92_415,
        responseStatus: 'BAD',
        responseText: 'Request is throttled. Suggested Backoff Time: 92415 milliseconds',
      }),
      'UID FETCH',
    );
    expect(o365).toBeInstanceOf(ThrottledError);
    expect((o365 as ThrottledError).retryAfterMs).toBe(93_000);
    const yahoo = toContractError(
      imapError({ serverResponseCode: 'THROTTLED', responseStatus: 'NO', responseText: 'slow down' }),
      'SELECT',
    );
    expect(yahoo).toBeInstanceOf(ThrottledError);
    expect(categorise(yahoo)).toMatchObject({ category: 'throttled', retryable: true });
  });

  it.each([
    [{ code: 'ECONNRESET' }, 'network', true],
    [{ code: 'NoConnection' }, 'network', true],
    [{ code: 'GREETING_TIMEOUT' }, 'timeout', true],
    [{ code: 'ETIMEOUT' }, 'timeout', true],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'invalid', false],
    [{ tlsFailed: true }, 'network', true],
    [{ serverResponseCode: 'AUTHORIZATIONFAILED' }, 'authorization', false],
    [{ responseStatus: 'NO', responseText: 'Internal error' }, 'temporary', true],
  ])('maps %j to %s', (fields, category, retryable) => {
    expect(categorise(toContractError(imapError(fields), 'x'))).toMatchObject({ category, retryable });
  });

  it('requires STARTTLS as configured: its absence is a setting to change, not retried', () => {
    const error = toContractError(
      imapError({ tlsFailed: true }, 'Server does not support STARTTLS'),
      'login',
    );
    expect(categorise(error)).toMatchObject({ category: 'invalid', retryable: false });
  });

  it('marks a folder gone since LIST, passes ContractErrors and names invalid settings', () => {
    expect(toContractError(imapError({ mailboxMissing: true }), 'SELECT x').reason).toBe(FOLDER_MISSING);
    const own = new ContractError('CONFLICT', 'stale');
    expect(toContractError(own, 'x')).toBe(own);
    expect(toContractError(new ImapSettingsError('port', 'bad'), 'Profile')).toMatchObject({
      code: 'VALIDATION',
      fields: [{ field: 'port', message: 'port: bad' }],
    });
  });
});

describe('classifyTestFailure', () => {
  it.each([
    [imapError({ authenticationFailed: true }), 'authentication'],
    [imapError({ serverResponseCode: 'AUTHORIZATIONFAILED' }), 'authorization'],
    [imapError({ code: 'ETHROTTLE' }), 'throttled'],
    [imapError({ code: 'CONNECT_TIMEOUT' }), 'timeout'],
    [imapError({ code: 'ENOTFOUND' }), 'dns'],
    [imapError({ tlsFailed: true }, 'Server does not support STARTTLS'), 'tls'],
    [new ImapSettingsError('protocol', 'bad'), 'configuration'],
    [new ContractError('TIMEOUT', 'LIST: slow'), 'timeout'],
    [imapError({ code: 'ParserError3' }), 'protocol'],
  ])('classifies %s as %s', (error, category) => {
    expect(classifyTestFailure(error).category).toBe(category);
  });
});
