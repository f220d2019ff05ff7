import { type FolderSelection, readFolderSelection } from '@mailkeep/connector-kit';
import { ContractError, type ProfileOfType, type ResolvedSecret } from '@mailkeep/contracts';

/**
 * Everything the connector reads from an `exchange` profile and its `basic` secret, in this one
 * place. It also receives connection-test drafts as plain records, so it checks again what the
 * connector relies on and names the field that is wrong.
 */
export interface ExchangeSettings {
  /** The EWS endpoint: `MAILKEEP_EXCHANGE_URL_TEMPLATE` with the profile's server name. */
  readonly url: URL;
  readonly timeoutMs: number;
  /** Certificates are verified unless the profile says `ignoreTlsCertificateErrors` (unsafe). */
  readonly rejectUnauthorized: boolean;
  /** `CONTOSO\svc-archive` or `svc-archive@contoso.example`. */
  readonly login: string;
  readonly password: string;
  /** The impersonated mailbox: `sourceMailbox` (single mode) or the archive mailbox's address. */
  readonly mailbox: string;
  readonly folders: FolderSelection;
  readonly deleteInSource: boolean;
}

/** The profile fields read here: a typed exchange profile or a connection test's plain draft. */
export type ExchangeProfileFields = { readonly [K in keyof ProfileOfType<'exchange'>]?: unknown };

/** SPEC P2: a profile without timeoutSeconds waits 60 s for the server. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** A host name, IPv4 or bracketed IPv6 literal, with an optional port. */
const SERVER_NAME = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

const invalid = (field: string, message: string): ContractError =>
  ContractError.validation([{ field, message }], `Profile ${field}: ${message}`);

export function ewsUrl(template: string, serverName: string): URL {
  const host = serverName.trim();
  if (!SERVER_NAME.test(host))
    throw invalid('serverName', 'must be a host name or IP address, optionally with :port');
  try {
    return new URL(template.replace('{serverName}', host));
  } catch {
    throw invalid('serverName', `does not make a valid EWS URL with ${template}`);
  }
}

export function readExchangeSettings(
  profile: ExchangeProfileFields,
  credentials: ResolvedSecret,
  mailboxAddress: string,
  urlTemplate: string,
): ExchangeSettings {
  const serverName = profile.serverName;
  if (typeof serverName !== 'string')
    throw invalid('serverName', 'the Exchange server’s host name is required');
  const timeout = profile.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)
    throw invalid('timeoutSeconds', 'must be a positive number of seconds');
  const ignore = profile.ignoreTlsCertificateErrors ?? false;
  if (typeof ignore !== 'boolean') throw invalid('ignoreTlsCertificateErrors', 'must be a boolean');
  if (credentials.type !== 'basic')
    throw invalid('credentialsSecretId', `an exchange profile needs a basic secret, not ${credentials.type}`);
  if (!credentials.username) throw invalid('credentialsSecretId', 'the secret has no user name');
  if (!credentials.password) throw invalid('credentialsSecretId', 'the secret has no password');
  const single = profile.mode !== 'multiple';
  const source =
    single && typeof profile.sourceMailbox === 'string' && profile.sourceMailbox.trim() !== ''
      ? profile.sourceMailbox.trim()
      : mailboxAddress.trim();
  if (!source.includes('@'))
    throw invalid('sourceMailbox', 'the mailbox to impersonate must be an SMTP address');
  return {
    url: ewsUrl(urlTemplate, serverName),
    timeoutMs: Math.round(timeout * 1000),
    rejectUnauthorized: !ignore,
    login: credentials.username,
    password: credentials.password,
    mailbox: source,
    folders: readFolderSelection(profile.folders, invalid),
    deleteInSource: profile.deleteInSource === true,
  };
}
