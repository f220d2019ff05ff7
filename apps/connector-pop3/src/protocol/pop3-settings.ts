import { ContractError, type ProfileOfType, type ResolvedSecret } from '@mailkeep/contracts';

/** `pop-ssl`: TLS from the first byte (RFC 8314); `pop-tls`: plaintext greeting, then STLS (RFC 2595). */
export type Pop3Security = 'implicit' | 'stls';

/** Where and how to reach the POP3 server, read from a profile. */
export interface Pop3ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly security: Pop3Security;
  /** Bound of every wait on the server: connect, handshake, one response, a pause inside one. */
  readonly timeoutMs: number;
  /** False when the profile says to ignore certificate errors (the console warns about it). */
  readonly verifyCertificate: boolean;
}

/** The login of one mailbox. */
export interface Pop3Login {
  /** Who authenticates: the mailbox's own user, or the master user in multiple mode. */
  readonly username: string;
  readonly password: string;
  /**
   * Multiple mode: the mailbox to open as the master user (SASL authorization identity, or the
   * `<mailbox>*<master>` login of Dovecot); undefined in single mode.
   */
  readonly actAs?: string;
}

/** Default ports of SPEC §3.1: 995 for implicit TLS, 110 for STLS. */
const DEFAULT_PORT: Record<Pop3Security, number> = { implicit: 995, stls: 110 };
/** SPEC §3.1: a profile without timeoutSeconds means 60 s. */
const DEFAULT_TIMEOUT_SECONDS = 60;
/**
 * Upper bound of SPEC §3.1. There is no lower bound here: the profiles service enforces its 10 s
 * floor for what people may set, and tests use fractions of a second against servers that hang.
 */
const MAX_TIMEOUT_SECONDS = 600;

/**
 * The profile fields these readers look at: a typed pop3 profile (a task's, checked by the kit) or
 * the plain record of a connection test's draft.
 */
export type Pop3ProfileFields = { readonly [K in keyof ProfileOfType<'pop3'>]?: unknown };

/**
 * Reads the connection settings from a profile (stored, or a draft in a connection test, which is
 * an untyped object): a missing or wrong value is a VALIDATION error naming the field.
 */
export function pop3Settings(profile: Pop3ProfileFields): Pop3ServerSettings {
  const host = profile['serverName'];
  if (typeof host !== 'string' || host.trim() === '' || /\s/.test(host)) {
    throw invalid('serverName', 'must be a host name or IP address');
  }
  const protocol = profile['protocol'];
  if (protocol !== 'pop-ssl' && protocol !== 'pop-tls')
    throw invalid('protocol', 'must be pop-ssl or pop-tls');
  const security: Pop3Security = protocol === 'pop-ssl' ? 'implicit' : 'stls';
  const port = profile['port'] ?? DEFAULT_PORT[security];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw invalid('port', 'must be an integer between 1 and 65535');
  }
  const timeoutSeconds = profile['timeoutSeconds'] ?? DEFAULT_TIMEOUT_SECONDS;
  if (
    typeof timeoutSeconds !== 'number' ||
    !Number.isFinite(timeoutSeconds) ||
    timeoutSeconds <= 0 ||
    timeoutSeconds > MAX_TIMEOUT_SECONDS
  ) {
    throw invalid('timeoutSeconds', `must be a number of seconds up to ${MAX_TIMEOUT_SECONDS}`);
  }
  const ignore = profile['ignoreTlsCertificateErrors'] ?? false;
  if (typeof ignore !== 'boolean') throw invalid('ignoreTlsCertificateErrors', 'must be true or false');
  return {
    host: host.trim(),
    port,
    security,
    timeoutMs: Math.round(timeoutSeconds * 1_000),
    verifyCertificate: !ignore,
  };
}

/**
 * The login for a mailbox. Single mode: the secret's own user. Multiple mode: the secret is a
 * master user that opens each mailbox by its primary address (SPEC §3.1, as for IMAP).
 */
export function pop3Login(
  mode: unknown,
  credentials: ResolvedSecret,
  mailbox: { readonly primaryAddress: string },
): Pop3Login {
  const { username, password } = credentials;
  if (credentials.type !== 'basic' || !username || password === undefined || password === '') {
    throw invalid('credentialsSecretId', 'must be a basic secret with a user name and a password');
  }
  // A line break would end the command early and let the rest run as another command.
  if (/[\r\n\0]/.test(username) || /[\r\n\0]/.test(password)) {
    throw invalid('credentialsSecretId', 'user name and password must not contain line breaks or NUL');
  }
  if (mode === 'single') return { username, password };
  if (mode !== 'multiple') throw invalid('mode', 'must be single or multiple');
  const actAs = mailbox.primaryAddress;
  if (actAs === '' || /[\s\0]/.test(actAs)) throw invalid('mailbox', 'has no usable primary address');
  return { username, password, actAs };
}

function invalid(field: string, message: string): ContractError {
  return new ContractError('VALIDATION', `Profile ${field} ${message}`, {
    reason: 'invalid',
    fields: [{ field, message }],
  });
}
