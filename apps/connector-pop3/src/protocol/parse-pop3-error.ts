import {
  classifyTransportError,
  ConnectionTestFailure,
  tlsCertificateErrorCode,
} from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';

/** A `-ERR` answer of the server. */
export class Pop3ResponseError extends Error {
  override readonly name = 'Pop3ResponseError';
  /**
   * The extended response code in brackets (RFC 2449 §8, RFC 3206), upper-cased: `IN-USE`,
   * `LOGIN-DELAY`, `AUTH`, `SYS/TEMP`, `SYS/PERM`; undefined when the server sent none.
   */
  readonly responseCode: string | undefined;

  constructor(
    /** The command's verb (`PASS`, `RETR`, …): never its arguments, which may hold credentials. */
    readonly command: string,
    /** The server's text after `-ERR`, untranslated. */
    readonly serverText: string,
  ) {
    super(`The POP3 server refused ${command}: ${serverText || '(no text)'}`);
    this.responseCode = /^\[([^\]]+)\]/.exec(serverText)?.[1]?.toUpperCase();
  }
}

/** Commands whose `-ERR` means the login was refused. */
const LOGIN_COMMANDS = new Set(['USER', 'PASS', 'AUTH', 'APOP']);

/**
 * Maps what a POP3 session throws to the error a task fails with (SPEC C5): a refused login is
 * AUTH_FAILED and never retried in a loop; a mailbox locked by another session (`[IN-USE]`) or a
 * temporary server fault is TEMPORARY; `[LOGIN-DELAY]` is THROTTLED; an untrusted certificate is a
 * configuration fault (not retried); socket errors and timeouts pass through, and the worker's
 * policy retries them. Anything else passes through unchanged.
 */
export function toContractError(error: unknown): unknown {
  if (error instanceof ContractError) return error;
  if (error instanceof Pop3ResponseError) return responseToContractError(error);
  const code = tlsCertificateErrorCode(error);
  if (code !== undefined) {
    return new ContractError(
      'VALIDATION',
      `The POP3 server's TLS certificate is not trusted (${code}): install a trusted certificate ` +
        'or enable "ignore TLS certificate errors" on the profile',
      { reason: 'tls_certificate' },
    );
  }
  return error;
}

/** What each extended response code (RFC 2449 §8, RFC 3206) means for a task. */
const RESPONSE_CODE_ERRORS: Readonly<Record<string, (error: Pop3ResponseError) => ContractError>> = {
  // Another POP3 session holds the maildrop lock (RFC 2449 §8.1.1): it ends, so try again later.
  'IN-USE': (error) =>
    new ContractError('TEMPORARY', `The mailbox is in use by another POP3 session: ${error.serverText}`, {
      reason: 'temporary',
    }),
  'LOGIN-DELAY': (error) =>
    new ContractError('THROTTLED', `The POP3 server asks to log in less often: ${error.serverText}`, {
      reason: 'throttled',
    }),
  'SYS/TEMP': (error) => new ContractError('TEMPORARY', error.message, { reason: 'temporary' }),
  'SYS/PERM': (error) => new ContractError('INTERNAL', error.message, { reason: 'internal' }),
};

function responseToContractError(error: Pop3ResponseError): ContractError {
  const byCode = error.responseCode === undefined ? undefined : RESPONSE_CODE_ERRORS[error.responseCode];
  if (byCode) return byCode(error);
  if (error.command === 'GREETING') {
    // Servers refuse at the greeting when overloaded (too many connections): try again later.
    return new ContractError('TEMPORARY', `The POP3 server refused the connection: ${error.serverText}`, {
      reason: 'temporary',
    });
  }
  if (LOGIN_COMMANDS.has(error.command)) {
    return new ContractError('AUTH_FAILED', `The POP3 server refused the login: ${error.serverText}`, {
      reason: 'authentication',
    });
  }
  // A command the session needs was refused for no stated reason: the same happens next time.
  return new ContractError('INTERNAL', error.message, { reason: 'internal' });
}

/** Classifies a failed connection test (P11); transport errors first, then POP3 answers. */
export function classifyPop3Failure(error: unknown): ConnectionTestFailure {
  const transport = classifyTransportError(error);
  if (transport) return transport;
  if (error instanceof Pop3ResponseError) return classifyResponse(error);
  if (error instanceof ContractError) {
    const { code, message } = error;
    if (code === 'TIMEOUT') {
      return new ConnectionTestFailure('timeout', 'The server did not answer in time.', message);
    }
    if (code === 'VALIDATION') {
      return new ConnectionTestFailure('configuration', 'The profile cannot be used as it is.', message);
    }
    if (code === 'UNAVAILABLE') {
      return new ConnectionTestFailure('network', 'The connection to the server failed.', message);
    }
    return new ConnectionTestFailure('protocol', 'The server’s answer was not understood.', message);
  }
  return new ConnectionTestFailure(
    'protocol',
    'The test failed unexpectedly.',
    error instanceof Error ? error.message : String(error),
  );
}

function classifyResponse(error: Pop3ResponseError): ConnectionTestFailure {
  const { responseCode: code, serverText } = error;
  if (code === 'IN-USE') {
    return new ConnectionTestFailure(
      'protocol',
      'The mailbox is in use by another POP3 session; try again when it has ended.',
      serverText,
    );
  }
  if (code === 'LOGIN-DELAY') {
    return new ConnectionTestFailure('throttled', 'The server asks to log in less often.', serverText);
  }
  if (code === 'SYS/TEMP' || code === 'SYS/PERM') {
    return new ConnectionTestFailure('protocol', 'The server reported a fault of its own.', serverText);
  }
  if (LOGIN_COMMANDS.has(error.command)) {
    return new ConnectionTestFailure(
      'authentication',
      'The server refused the user name or password.',
      serverText,
    );
  }
  if (error.command === 'STLS') {
    return new ConnectionTestFailure(
      'tls',
      'The server does not offer STLS on this port; use POP3 over SSL (implicit TLS) or enable STLS.',
      serverText,
    );
  }
  return new ConnectionTestFailure('protocol', `The server refused ${error.command}.`, serverText);
}
