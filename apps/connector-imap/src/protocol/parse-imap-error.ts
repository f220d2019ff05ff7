import {
  classifyTransportError,
  ConnectionTestFailure,
  DEFAULT_THROTTLE_BACKOFF_MS,
  parseRetryAfter,
  ThrottledError,
  TLS_CERTIFICATE_ERROR_CODES,
} from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';

import { ImapSettingsError } from './imap-settings.js';

/** The fields imapflow puts on its errors that the mapping reads (see imapflow's ImapFlowError). */
interface ImapFlowErrorFields {
  code?: unknown;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  serverResponseCode?: unknown;
  responseText?: unknown;
  response?: unknown;
  responseStatus?: unknown;
  throttleReset?: unknown;
  mailboxMissing?: boolean;
}

/** imapflow's own codes for a phase that ran out of time (connect, greeting, STARTTLS, socket). */
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT']);

/** imapflow's codes for a connection that is gone; Node's socket codes are handled by the kit. */
const CONNECTION_CODES = new Set([
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'StateLogout',
]);

/**
 * Response codes (RFC 5530) and texts of servers asking a client to slow down: Office 365's
 * "Request is throttled. Suggested Backoff Time: N milliseconds" (imapflow turns it into
 * ETHROTTLE), `[THROTTLED]` (Yahoo, Gmail), `[LIMIT]` and "too many connections" replies.
 */
const THROTTLE_CODES = new Set(['THROTTLED', 'LIMIT']);
const THROTTLE_TEXT = /throttl|too many (simultaneous )?connections|rate limit/i;

/** ContractError reason of a SELECT refused because the folder no longer exists. */
export const FOLDER_MISSING = 'folder_missing';

/** The server's own words for an error, untranslated: the tagged response's text, else the error's message. */
export function serverMessage(error: unknown): string {
  const fields = (error ?? {}) as ImapFlowErrorFields;
  const code = typeof fields.serverResponseCode === 'string' ? `[${fields.serverResponseCode}] ` : '';
  const status = typeof fields.responseStatus === 'string' ? `${fields.responseStatus} ` : '';
  if (typeof fields.responseText === 'string' && fields.responseText !== '') {
    return `${status}${code}${fields.responseText}`;
  }
  if (typeof fields.response === 'string' && fields.response !== '') return `${code}${fields.response}`;
  return error instanceof Error ? error.message : String(error);
}

/** The back-off a throttled reply asks for, in ms (capped by the kit); undefined when it names none. */
function throttleBackoffMs(fields: ImapFlowErrorFields, text: string): number | undefined {
  if (typeof fields.throttleReset === 'number' && fields.throttleReset > 0) {
    return parseRetryAfter(String(Math.ceil(fields.throttleReset / 1000)));
  }
  const suggested = /Backoff Time[:=\s]+(\d+)/i.exec(text);
  return suggested ? parseRetryAfter(String(Math.ceil(Number(suggested[1]) / 1000))) : undefined;
}

function isThrottled(fields: ImapFlowErrorFields, text: string): boolean {
  return (
    fields.code === 'ETHROTTLE' ||
    (typeof fields.serverResponseCode === 'string' && THROTTLE_CODES.has(fields.serverResponseCode)) ||
    THROTTLE_TEXT.test(text)
  );
}

/**
 * Maps an error met while archiving to a ContractError whose category (kit `categorise`) decides
 * retrying (C5): rejected credentials are AUTH_FAILED and never retried; network faults and
 * timeouts are retried; a server's back-off becomes a ThrottledError carrying it; settings the
 * connector cannot use and untrusted certificates are permanent until someone changes them.
 */
export function toContractError(error: unknown, what: string): ContractError {
  if (error instanceof ContractError) return error;
  if (error instanceof ImapSettingsError) {
    return new ContractError('VALIDATION', `Invalid imap profile: ${error.message}`, {
      reason: 'invalid',
      fields: [{ field: error.field, message: error.message }],
    });
  }
  const fields = (error ?? {}) as ImapFlowErrorFields;
  const text = serverMessage(error);
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const message = `${what}: ${text}`;
  if (isThrottled(fields, text)) {
    return new ThrottledError(message, throttleBackoffMs(fields, text) ?? DEFAULT_THROTTLE_BACKOFF_MS);
  }
  if (fields.authenticationFailed || fields.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new ContractError('AUTH_FAILED', message, { reason: 'authentication' });
  }
  if (fields.serverResponseCode === 'AUTHORIZATIONFAILED') {
    return new ContractError('FORBIDDEN', message, { reason: 'authorization' });
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new ContractError('TIMEOUT', message, { reason: 'timeout' });
  }
  if (code !== undefined && TLS_CERTIFICATE_ERROR_CODES.has(code)) {
    return new ContractError(
      'VALIDATION',
      `${message} (enable "ignore TLS certificate errors" to accept it)`,
      {
        reason: 'invalid',
      },
    );
  }
  if (fields.tlsFailed && /STARTTLS/i.test(text)) {
    return new ContractError('VALIDATION', `${message} (the profile requires STARTTLS)`, {
      reason: 'invalid',
    });
  }
  if (
    fields.tlsFailed ||
    (code !== undefined && (CONNECTION_CODES.has(code) || classifyTransportError(error) !== undefined))
  ) {
    return new ContractError('UNAVAILABLE', message, { reason: 'network' });
  }
  if (fields.mailboxMissing || fields.serverResponseCode === 'NONEXISTENT') {
    return new ContractError('NOT_FOUND', message, { reason: FOLDER_MISSING });
  }
  if (fields.serverResponseCode === 'UNAVAILABLE') {
    return new ContractError('UNAVAILABLE', message, { reason: 'temporary' });
  }
  // A NO/BAD the server gave for a command, a parser error: possibly passing (server under
  // maintenance); the consumer retries it a bounded number of times.
  return new ContractError('TEMPORARY', message, { reason: 'temporary' });
}

/** Classifies a failed connection-test step (P11) that the kit's transport classification did not. */
export function classifyTestFailure(error: unknown): ConnectionTestFailure {
  const transport = classifyTransportError(error);
  if (transport) return transport;
  if (error instanceof ContractError) return classifyContractError(error);
  if (error instanceof ImapSettingsError) {
    return new ConnectionTestFailure(
      'configuration',
      `The profile cannot be used: ${error.message}`,
      error.message,
    );
  }
  const fields = (error ?? {}) as ImapFlowErrorFields;
  const text = serverMessage(error);
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  if (isThrottled(fields, text)) {
    return new ConnectionTestFailure('throttled', 'The server asks to slow down; try again later.', text);
  }
  if (fields.authenticationFailed || fields.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new ConnectionTestFailure(
      'authentication',
      'The server rejected the user name or password.',
      text,
    );
  }
  if (fields.serverResponseCode === 'AUTHORIZATIONFAILED') {
    return new ConnectionTestFailure(
      'authorization',
      'The user may not log in for this mailbox (is it a master/admin user?).',
      text,
    );
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new ConnectionTestFailure('timeout', 'The server did not answer in time.', text);
  }
  if (fields.tlsFailed) {
    return new ConnectionTestFailure(
      'tls',
      /STARTTLS/i.test(text)
        ? 'The server does not offer STARTTLS; choose imap-ssl or enable STARTTLS on the server.'
        : 'The TLS handshake with the server failed.',
      text,
    );
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return new ConnectionTestFailure('network', 'The server closed the connection.', text);
  }
  return new ConnectionTestFailure(
    'protocol',
    'The server answered in a way the connector did not expect.',
    text,
  );
}

/** A failure already mapped for archiving (a command run through ImapSession.call), for the test result. */
function classifyContractError(error: ContractError): ConnectionTestFailure {
  switch (error.code) {
    case 'AUTH_FAILED':
      return new ConnectionTestFailure(
        'authentication',
        'The server rejected the user name or password.',
        error.message,
      );
    case 'FORBIDDEN':
      return new ConnectionTestFailure(
        'authorization',
        'The user may not do this on the server.',
        error.message,
      );
    case 'THROTTLED':
      return new ConnectionTestFailure(
        'throttled',
        'The server asks to slow down; try again later.',
        error.message,
      );
    case 'TIMEOUT':
      return new ConnectionTestFailure('timeout', 'The server did not answer in time.', error.message);
    case 'UNAVAILABLE':
      return new ConnectionTestFailure('network', 'The connection to the server failed.', error.message);
    case 'VALIDATION':
      return new ConnectionTestFailure(
        'configuration',
        'The profile cannot be used as it is.',
        error.message,
      );
    case 'CONFLICT':
    case 'INTERNAL':
    case 'NOT_FOUND':
    case 'PRECONDITION_FAILED':
    case 'RULE_VIOLATION':
    case 'TEMPORARY':
      return new ConnectionTestFailure(
        'protocol',
        'The server answered in a way the connector did not expect.',
        error.message,
      );
  }
}
