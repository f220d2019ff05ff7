import type { ProfileOfType, ResolvedSecret } from '@mailkeep/contracts';

import { DEFAULT_FOLDER_SELECTION, type FolderSelection } from '../folders/folder-selection.js';

/** Implicit TLS (993) and STARTTLS (143): SPEC P2's defaults when a profile has no port. */
export const DEFAULT_PORTS = { 'imap-ssl': 993, 'imap-tls': 143 } as const;

/** SPEC P2: a profile without timeoutSeconds waits 60 s for the server. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

export type ImapProtocol = keyof typeof DEFAULT_PORTS;

/**
 * The profile fields these readers look at: a typed imap profile (a task's, checked by the kit) or
 * the plain record of a connection test's draft.
 */
export type ImapProfileFields = { readonly [K in keyof ProfileOfType<'imap'>]?: unknown };

/** How to reach the server, read from a profile (saved, or a draft in a connection test). */
export interface ImapServerSettings {
  readonly host: string;
  readonly port: number;
  /** `imap-ssl`: TLS from the first byte; `imap-tls`: STARTTLS, required (never plaintext). */
  readonly protocol: ImapProtocol;
  readonly ignoreTlsCertificateErrors: boolean;
  /** The profile's timeoutSeconds: connection, greeting and socket inactivity (a stuck command). */
  readonly timeoutMs: number;
}

/** Who logs in: the secret's user, acting for `authorizeAs` in multiple mode (SASL PLAIN authzid). */
export interface ImapLogin {
  readonly user: string;
  readonly password: string;
  readonly authorizeAs?: string;
}

/** A profile or secret the connector cannot use; the message names the field. */
export class ImapSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ImapSettingsError';
  }
}

/**
 * Reads the server settings of an imap profile. The profiles service validates profiles already
 * (P12); this checks again what the connector relies on, because a connection test also receives
 * drafts as plain records. The timeout accepts any positive number of seconds (the service
 * enforces 10–600 for stored profiles), which lets tests use short ones.
 */
export function readServerSettings(profile: ImapProfileFields): ImapServerSettings {
  const host = profile['serverName'];
  if (typeof host !== 'string' || host.trim() === '' || /\s/.test(host.trim())) {
    throw new ImapSettingsError('serverName', 'a host name or IP address is required');
  }
  const protocol = profile['protocol'];
  if (protocol !== 'imap-ssl' && protocol !== 'imap-tls') {
    throw new ImapSettingsError('protocol', `must be imap-ssl or imap-tls, not ${describe(protocol)}`);
  }
  const port = profile['port'];
  if (port !== undefined && port !== null && !(Number.isInteger(port) && (port as number) >= 0)) {
    throw new ImapSettingsError('port', `must be an integer between 0 and 65535, not ${describe(port)}`);
  }
  if (typeof port === 'number' && port > 65535) {
    throw new ImapSettingsError('port', `must be an integer between 0 and 65535, not ${port}`);
  }
  const timeout = profile['timeoutSeconds'] ?? DEFAULT_TIMEOUT_SECONDS;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new ImapSettingsError('timeoutSeconds', `must be a positive number, not ${describe(timeout)}`);
  }
  const ignore = profile['ignoreTlsCertificateErrors'] ?? false;
  if (typeof ignore !== 'boolean') {
    throw new ImapSettingsError('ignoreTlsCertificateErrors', `must be a boolean, not ${describe(ignore)}`);
  }
  return {
    host: host.trim(),
    // Port 0 cannot be connected to; the API allows it, so it is read as "the protocol's default".
    port: typeof port === 'number' && port > 0 ? port : DEFAULT_PORTS[protocol],
    protocol,
    ignoreTlsCertificateErrors: ignore,
    timeoutMs: Math.round(timeout * 1000),
  };
}

/**
 * The login of a task or test: in `single` mode the secret's own user; in `multiple` mode the
 * secret is a privileged (master) user that logs in for `mailboxAddress` (SPEC §3.1).
 */
export function readLogin(
  profile: ImapProfileFields,
  credentials: ResolvedSecret,
  mailboxAddress: string,
): ImapLogin {
  const mode = profile['mode'] ?? 'single';
  if (mode !== 'single' && mode !== 'multiple') {
    throw new ImapSettingsError('mode', `must be single or multiple, not ${describe(mode)}`);
  }
  if (credentials.type !== 'basic') {
    throw new ImapSettingsError(
      'credentialsSecretId',
      `an imap profile needs a basic secret, not ${credentials.type}`,
    );
  }
  const { username, password } = credentials;
  if (!username) throw new ImapSettingsError('credentialsSecretId', 'the secret has no user name');
  if (!password) throw new ImapSettingsError('credentialsSecretId', 'the secret has no password');
  if (mode === 'single') return { user: username, password };
  if (mailboxAddress.trim() === '') {
    throw new ImapSettingsError('mailbox', 'multiple mode needs the mailbox address to log in for');
  }
  return { user: username, password, authorizeAs: mailboxAddress.trim() };
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** The profile's `folders` (SPEC P2), or the default selection when it has none. */
export function readFolderSelection(profile: ImapProfileFields): FolderSelection {
  const folders = profile['folders'];
  if (folders === undefined || folders === null) return DEFAULT_FOLDER_SELECTION;
  if (typeof folders !== 'object')
    throw new ImapSettingsError('folders', `must be an object, not ${describe(folders)}`);
  const { include = [], exclude = [], excludeDefaults = true } = folders as Record<string, unknown>;
  const paths = (field: string, value: unknown): string[] => {
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
      throw new ImapSettingsError(
        `folders.${field}`,
        `must be a list of folder paths, not ${describe(value)}`,
      );
    }
    return value as string[];
  };
  if (typeof excludeDefaults !== 'boolean') {
    throw new ImapSettingsError(
      'folders.excludeDefaults',
      `must be a boolean, not ${describe(excludeDefaults)}`,
    );
  }
  return { include: paths('include', include), exclude: paths('exclude', exclude), excludeDefaults };
}
