import { egressRefused } from '@mailkeep/egress';
import { describe, expect, it } from 'vitest';

import { classifyTransportError, ConnectionTest, ConnectionTestFailure } from './connection-test.js';

const PLAN = ['connect', 'authenticate', 'list folders'];

describe('ConnectionTest', () => {
  it('reports every planned step in order, skipped after the failed one, with the classified error', async () => {
    const test = new ConnectionTest(PLAN);
    const result = await test.run(
      async () => {
        await test.step(
          'connect',
          () => Promise.resolve('* OK ready'),
          (greeting) => greeting,
        );
        await test.step('authenticate', () => Promise.reject(new Error('NO [AUTHENTICATIONFAILED] failed')));
      },
      (error) => new ConnectionTestFailure('authentication', 'Wrong user name or password.', String(error)),
    );
    expect(result.success).toBe(false);
    expect(result.steps.map((step) => [step.name, step.status])).toEqual([
      ['connect', 'ok'],
      ['authenticate', 'failed'],
      ['list folders', 'skipped'],
    ]);
    expect(result.steps[0]?.detail).toBe('* OK ready');
    expect(result.error).toEqual({
      category: 'authentication',
      message: 'Wrong user name or password.',
      serverMessage: 'Error: NO [AUTHENTICATIONFAILED] failed',
    });
    expect(result.transcript).toContain('authenticate: failed');
  });

  it('succeeds without an error when every step passes', async () => {
    const test = new ConnectionTest(['connect']);
    const result = await test.run(
      () => test.step('connect', () => Promise.resolve()),
      () => new ConnectionTestFailure('protocol', 'unused', ''),
    );
    expect(result).toMatchObject({ success: true, steps: [{ name: 'connect', status: 'ok' }] });
    expect(result.error).toBeUndefined();
  });
});

describe('classifyTransportError', () => {
  const coded = (code: string) => Object.assign(new Error(`failed: ${code}`), { code });

  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'network'],
    ['ECONNRESET', 'network'],
    ['ETIMEDOUT', 'timeout'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
  ])('%s is %s, with the original text as the server message', (code, category) => {
    const failure = classifyTransportError(coded(code));
    expect(failure?.category).toBe(category);
    expect(failure?.serverMessage).toBe(`failed: ${code}`);
  });

  it('leaves protocol errors to the connector', () => {
    expect(classifyTransportError(new Error('BAD command'))).toBeUndefined();
    expect(classifyTransportError(coded('EPROTO_SOMETHING'))).toBeUndefined();
  });
});

describe('classifyTransportError of an egress refusal', () => {
  it('is a configuration failure with the plain reason', () => {
    const failure = classifyTransportError(egressRefused('localhost', '127.0.0.1'));
    expect(failure).toMatchObject({
      category: 'configuration',
      message: "the server's address 127.0.0.1 (localhost) is not allowed by this deployment's egress policy",
    });
  });
});
