import { classifyTransportError, ConnectionTestFailure } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';
import { ResultCodeError } from 'ldapts';

/**
 * LDAP result codes (RFC 4511 §4.1.9) as a person fixing the settings reads them. The server's
 * own text (AD's `80090308: LdapErr: DSID-…, data 52e`) goes into `serverMessage` untouched.
 */
const RESULT_CODES: Readonly<Record<number, [ConnectionTestFailure['category'], string]>> = {
  3: ['timeout', 'The directory server stopped the search at its time limit.'],
  7: ['configuration', 'The directory server does not support simple bind for this account.'],
  8: ['configuration', 'The directory server requires a secure connection: use ldap-tls or ldap-ssl.'],
  11: [
    'configuration',
    'The directory server refused the request at an administrative limit (often the page size): lower pageSize.',
  ],
  12: [
    'configuration',
    'The directory server does not support paged results (RFC 2696), which the sync needs.',
  ],
  13: ['configuration', 'The directory server requires a secure connection: use ldap-tls or ldap-ssl.'],
  32: ['configuration', 'The base DN or the group does not exist on the directory server.'],
  34: ['configuration', 'The base DN or the group is not a valid distinguished name.'],
  48: ['authentication', 'The directory server does not allow this way of signing in for the bind account.'],
  49: ['authentication', 'The directory server rejected the bind DN or password.'],
  50: ['authorization', 'The bind account may not read these entries.'],
  51: ['throttled', 'The directory server is busy; try again later.'],
  52: ['network', 'The directory server is unavailable.'],
  53: ['configuration', 'The directory server is unwilling to perform the request.'],
};

/** A failure of an LDAP connection, bind or search, classified for a test result or a sync error. */
export function classifyLdapError(error: unknown): ConnectionTestFailure {
  const transport = classifyTransportError(error);
  if (transport) return transport;
  // The platform's own refusal before any connection (the secret is gone): a setting to change.
  if (error instanceof ContractError)
    return new ConnectionTestFailure('configuration', error.message, error.message);
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof ResultCodeError) {
    const [category, message] = RESULT_CODES[error.code] ?? [
      'protocol',
      `The directory server answered with LDAP result code ${error.code}.`,
    ];
    return new ConnectionTestFailure(category, message, text);
  }
  if (/timed out|Connection timeout/i.test(text)) {
    return new ConnectionTestFailure('timeout', 'The directory server did not answer in time.', text);
  }
  if (/Socket error|socket connection not established|connection .* was closed/i.test(text)) {
    return new ConnectionTestFailure('network', 'The connection to the directory server was lost.', text);
  }
  return new ConnectionTestFailure('protocol', 'The directory server answered in an unexpected way.', text);
}

/**
 * What a sync answers when the directory fails. Never a 5xx for a source that refuses (and never a
 * 401, which the API keeps for its own keys): rejected credentials, missing rights and wrong
 * settings are RULE_VIOLATION with the server's words; a busy server is THROTTLED; a server that
 * is down or silent is UNAVAILABLE.
 */
export function ldapSourceError(error: unknown): ContractError {
  if (error instanceof ContractError && error.code !== 'VALIDATION') return error;
  const failure = classifyLdapError(error);
  const message = `${failure.message} (${failure.serverMessage})`;
  if (failure.category === 'throttled') return new ContractError('THROTTLED', message);
  if (failure.category === 'network' || failure.category === 'timeout') {
    return new ContractError('UNAVAILABLE', message, { reason: 'directory_source_unavailable' });
  }
  return new ContractError('RULE_VIOLATION', message, { reason: `directory_source_${failure.category}` });
}
