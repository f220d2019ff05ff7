import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isSensitiveKey, redact, REDACTED, redactString } from './redact.js';

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'Password',
    'PASSWORD',
    'db_password',
    'dbPassword',
    'passwd',
    'pass',
    'pwd',
    'secret',
    'clientSecret',
    'client_secret',
    'token',
    'accessToken',
    'refresh-token',
    'authorization',
    'Authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'cookies',
    'key',
    'apiKey',
    'api_key',
    'X-Api-Key',
    'apikey',
    'privateKey',
    'private_key',
    'masterKey',
    'MAILKEEP_MASTER_KEY',
    'MAILKEEP_S3_SECRET_KEY',
    'apiKeys',
    'credentials',
    'passphrase',
  ])('redacts %s', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'apiKeyId',
    'keyId',
    'key_id',
    'tokenId',
    'secretIds',
    'user',
    'username',
    'email',
    'tokenCount',
    'keyboard',
    'bypass',
    'passes',
    'id',
    'mailboxId',
    'traceId',
  ])('keeps %s', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});

describe('redactString', () => {
  it('removes URL passwords and bearer tokens', () => {
    expect(redactString('connecting to postgres://app:hunter2@db:5432/mailkeep')).toBe(
      `connecting to postgres://app:${REDACTED}@db:5432/mailkeep`,
    );
    expect(redactString('header was Bearer abc.DEF-123_x')).toBe(`header was Bearer ${REDACTED}`);
    expect(redactString('postgres://postgres@127.0.0.1:5432/mailkeep')).toBe(
      'postgres://postgres@127.0.0.1:5432/mailkeep',
    );
  });
});

describe('redact', () => {
  it('redacts at any depth, in objects and arrays, keeping everything else', () => {
    const input = {
      user: 'ada',
      password: 'p1',
      nested: { deeper: { apiKey: 'k1', apiKeyId: 'kid-1', list: [{ token: 't1', count: 2 }, 'plain', 3] } },
      accounts: [{ imap: { auth: { user: 'u', pass: 'p2', accessToken: 't2' } } }],
      Authorization: 'Bearer xyz',
      ok: true,
      none: null,
      gone: undefined,
    };
    expect(redact(input)).toEqual({
      user: 'ada',
      password: REDACTED,
      nested: {
        deeper: { apiKey: REDACTED, apiKeyId: 'kid-1', list: [{ token: REDACTED, count: 2 }, 'plain', 3] },
      },
      accounts: [{ imap: { auth: { user: 'u', pass: REDACTED, accessToken: REDACTED } } }],
      Authorization: REDACTED,
      ok: true,
      none: null,
      gone: undefined,
    });
    // The input is untouched.
    expect(input.password).toBe('p1');
  });

  it('redacts whole values whatever their type', () => {
    expect(redact({ secret: { a: 1 }, tokens: ['a', 'b'], key: 42 })).toEqual({
      secret: REDACTED,
      tokens: REDACTED,
      key: REDACTED,
    });
  });

  it('serializes errors as { type, message, stack, code } and redacts their properties', () => {
    class ImapError extends Error {
      code = 'AUTH_FAILED';
      password = 'p3';
      response = { status: 'NO', authorization: 'a1' };
    }
    const error = new ImapError('login failed for imap://u:p4@mail.example');
    const out = redact({ err: error }) as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({
      type: 'ImapError',
      message: `login failed for imap://u:${REDACTED}@mail.example`,
      code: 'AUTH_FAILED',
      password: REDACTED,
      response: { status: 'NO', authorization: REDACTED },
    });
    expect(out.err['stack']).toEqual(expect.stringContaining(`login failed for imap://u:${REDACTED}@`));
    expect(JSON.stringify(out)).not.toMatch(/p3|p4|a1"/);
  });

  it('keeps error causes and aggregate errors', () => {
    const error = new Error('outer', { cause: Object.assign(new TypeError('inner'), { token: 't' }) });
    expect(redact(error)).toMatchObject({
      type: 'Error',
      message: 'outer',
      cause: { type: 'TypeError', message: 'inner', token: REDACTED },
    });
    expect(redact(new AggregateError([new Error('a')], 'many'))).toMatchObject({
      type: 'AggregateError',
      errors: [{ message: 'a' }],
    });
  });

  it('breaks cycles but prints shared references each time', () => {
    const shared = { n: 1 };
    const cyclic: Record<string, unknown> = { name: 'root', a: shared, b: shared };
    cyclic['self'] = cyclic;
    cyclic['list'] = [cyclic];
    expect(redact(cyclic)).toEqual({
      name: 'root',
      a: { n: 1 },
      b: { n: 1 },
      self: '[Circular]',
      list: ['[Circular]'],
    });
  });

  it('truncates huge depth', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i++) deep = { child: deep };
    const text = JSON.stringify(redact(deep));
    expect(text).toContain('[Truncated]');
    expect(text).not.toContain('leaf');
  });

  it('handles special objects', () => {
    const out = redact({
      at: new Date('2026-01-02T03:04:05.000Z'),
      url: new URL('postgres://app:hunter2@db/mailkeep'),
      body: Buffer.from('raw message'),
      big: 10n,
      map: new Map<string, unknown>([
        ['secret', 's'],
        ['host', 'h'],
      ]),
      set: new Set(['x']),
      fn: function handler() {},
    });
    expect(out).toEqual({
      at: '2026-01-02T03:04:05.000Z',
      url: `postgres://app:${encodeURIComponent(REDACTED)}@db/mailkeep`,
      body: '[Buffer 11 bytes]',
      big: '10',
      map: { secret: REDACTED, host: 'h' },
      set: ['x'],
      fn: '[Function handler]',
    });
  });

  it('reduces an HTTP request to method, url and redacted headers', () => {
    const req = new IncomingMessage(new Socket());
    req.method = 'POST';
    req.url = '/api/v1/tenants';
    req.headers = {
      authorization: 'Bearer k',
      cookie: 'sid=1',
      'x-api-key': 'k2',
      'content-type': 'application/json',
    };
    expect(redact({ req })).toEqual({
      req: {
        method: 'POST',
        url: '/api/v1/tenants',
        headers: {
          authorization: REDACTED,
          cookie: REDACTED,
          'x-api-key': REDACTED,
          'content-type': 'application/json',
        },
      },
    });
    expect(redact({ headers: { Authorization: 'Basic x', Accept: '*/*' } })).toEqual({
      headers: { Authorization: REDACTED, Accept: '*/*' },
    });
  });

  it('never throws on hostile objects', () => {
    const hostile = {
      get boom(): never {
        throw new Error('getter');
      },
      toString: 1,
    };
    expect(redact(hostile)).toEqual({ boom: '[Unreadable]', toString: 1 });
    expect(redact({ toJSON: () => ({ password: 'p' }) })).toEqual({ password: REDACTED });
  });
});
