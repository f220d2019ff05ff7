import { type ConnectionErrorCategory, ContractError } from '@mailkeep/contracts';

/**
 * A failed call to the identity platform or Graph, with what a person can act on: the test
 * category, and Microsoft's own words (`AADSTS…` descriptions, Graph error codes) kept apart.
 */
export class GraphFailure extends Error {
  constructor(
    readonly category: ConnectionErrorCategory,
    message: string,
    readonly serverMessage: string,
  ) {
    super(message);
  }

  /** What a sync answers: never a 5xx for a source that refuses; 503 for one that is down. */
  toContractError(): ContractError {
    const message = `${this.message}: ${this.serverMessage}`;
    switch (this.category) {
      case 'authentication':
      case 'authorization':
      case 'configuration':
        return new ContractError('RULE_VIOLATION', message, { reason: `directory_source_${this.category}` });
      case 'throttled':
        return new ContractError('THROTTLED', message);
      case 'dns':
      case 'network':
      case 'tls':
      case 'timeout':
      case 'protocol':
        return new ContractError('UNAVAILABLE', message, { reason: 'directory_source_unavailable' });
    }
  }
}

/** Token endpoint errors (`{ error, error_description: "AADSTS…: …", error_codes }`). */
export function tokenFailure(status: number, body: unknown): GraphFailure {
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const description =
    typeof error.error_description === 'string' ? error.error_description : `HTTP ${status}`;
  const codes = Array.isArray(error.error_codes) ? error.error_codes : [];
  const has = (code: number): boolean => codes.includes(code) || description.startsWith(`AADSTS${code}:`);
  // AADSTS7000215: invalid client secret; 700027: the assertion's signature or certificate is not
  // the app's; 7000222: the secret expired. The credentials are wrong, not the settings.
  if (has(7000215) || has(700027) || has(7000222)) {
    return new GraphFailure('authentication', 'Entra ID refused the credentials', description);
  }
  // AADSTS700016: no such application in the directory; 90002: no such tenant.
  if (
    has(700016) ||
    has(90002) ||
    error.error === 'invalid_request' ||
    error.error === 'unauthorized_client'
  ) {
    return new GraphFailure(
      'configuration',
      'Entra ID does not know this application or directory',
      description,
    );
  }
  if (status === 429)
    return new GraphFailure('throttled', 'Entra ID throttled the token request', description);
  if (status >= 500) return new GraphFailure('network', 'Entra ID could not issue a token', description);
  return new GraphFailure('authentication', 'Entra ID refused the token request', description);
}

/** Graph errors (`{ error: { code, message, innerError } }`). */
export function graphFailure(status: number, body: unknown, what: string): GraphFailure {
  const envelope =
    typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const error =
    typeof envelope === 'object' && envelope !== null ? (envelope as Record<string, unknown>) : {};
  const code = typeof error.code === 'string' ? error.code : `HTTP ${status}`;
  const serverMessage = typeof error.message === 'string' ? `${code}: ${error.message}` : code;
  if (status === 401)
    return new GraphFailure('authentication', `Graph refused the token while ${what}`, serverMessage);
  if (status === 403) {
    return new GraphFailure(
      'authorization',
      `The application may not ${what} (grant User.Read.All, and GroupMember.Read.All for a group)`,
      serverMessage,
    );
  }
  if (status === 404 || status === 400) {
    return new GraphFailure('configuration', `Graph found nothing while ${what}`, serverMessage);
  }
  if (status === 429)
    return new GraphFailure('throttled', `Graph kept throttling while ${what}`, serverMessage);
  return new GraphFailure('network', `Graph failed while ${what}`, serverMessage);
}
