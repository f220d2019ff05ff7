import { ContractError } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { classifyPop3Failure, Pop3ResponseError, toContractError } from './parse-pop3-error.js';

function mapped(command: string, text: string): ContractError {
  const error = toContractError(new Pop3ResponseError(command, text));
  if (!(error instanceof ContractError)) throw new Error('not a ContractError');
  return error;
}

describe('toContractError', () => {
  it('makes a refused login AUTH_FAILED, not retried', () => {
    for (const command of ['USER', 'PASS', 'AUTH']) {
      const error = mapped(command, '[AUTH] Authentication failed.');
      expect(error).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
      expect(error.message).toContain('[AUTH] Authentication failed.');
    }
  });

  it('makes a mailbox locked by another session ([IN-USE]) TEMPORARY, retried', () => {
    expect(mapped('PASS', '[IN-USE] Mailbox is locked by another POP3 session')).toMatchObject({
      code: 'TEMPORARY',
      retryable: true,
    });
  });

  it('maps the other RFC 2449/3206 response codes', () => {
    expect(mapped('PASS', '[LOGIN-DELAY] wait 900 s')).toMatchObject({ code: 'THROTTLED', retryable: true });
    expect(mapped('PASS', '[SYS/TEMP] backend down')).toMatchObject({ code: 'TEMPORARY', retryable: true });
    expect(mapped('RETR', '[SYS/PERM] broken')).toMatchObject({ code: 'INTERNAL', retryable: false });
    expect(mapped('GREETING', 'too many connections')).toMatchObject({ code: 'TEMPORARY', retryable: true });
    expect(mapped('UIDL', 'command unknown')).toMatchObject({ code: 'INTERNAL', retryable: false });
  });

  it('makes an untrusted certificate a configuration error and passes socket errors through', () => {
    const tls = toContractError(
      Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    );
    expect(tls).toMatchObject({ code: 'VALIDATION', retryable: false });
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    expect(toContractError(reset)).toBe(reset);
  });
});

describe('classifyPop3Failure', () => {
  it('puts POP3 answers in the categories of a connection test, keeping the server’s words', () => {
    expect(classifyPop3Failure(new Pop3ResponseError('AUTH', '[AUTH] nope'))).toMatchObject({
      category: 'authentication',
      serverMessage: '[AUTH] nope',
    });
    expect(classifyPop3Failure(new Pop3ResponseError('STLS', 'not now'))).toMatchObject({ category: 'tls' });
    expect(classifyPop3Failure(new Pop3ResponseError('PASS', '[IN-USE] locked'))).toMatchObject({
      category: 'protocol',
    });
    expect(classifyPop3Failure(new ContractError('TIMEOUT', 'slow'))).toMatchObject({ category: 'timeout' });
  });
});
