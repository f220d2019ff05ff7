import {
  ContractError,
  type GoogleWorkspaceDirectorySettings,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import {
  type DelegatedTokenCache,
  type DelegatedTokenRequest,
  directoryUrl,
  GOOGLE_SCOPES,
  type GoogleEndpoints,
  GoogleApiError,
  googleJson,
  type ParsedGoogleError,
  parseGoogleError,
  serviceAccountKeyFromSecret,
} from '@mailkeep/google-workspace';

import type { SecretsClient } from '../../ports/secrets.js';
import { DirectorySource, type SourceEntry, type SourceService } from '../directory-source.js';
import { missingSecret, runConnectionTest, sourceError } from '../source-failure.js';
import {
  type DirectoryGet,
  listGroupMembers,
  listWorkspaceUsers,
  memberFilter,
  type UsersScope,
} from './admin-directory.js';
import { entryOfWorkspaceUser } from './workspace-user.js';

/** The customer users.list reads when the service names neither a customer nor a domain. */
const DEFAULT_CUSTOMER = 'my_customer';

/**
 * Google Workspace users that have a Gmail mailbox (SPEC D3 google-workspace), through the Admin
 * SDK Directory API with a delegated token: the service account acts as the admin `adminSubject`,
 * with `admin.directory.user.readonly` (and `admin.directory.group.member.readonly` for a group
 * filter; only the scopes a service needs are asked for, as Google refuses the whole token when
 * one requested scope is not delegated).
 */
export class GoogleDirectorySource extends DirectorySource {
  constructor(
    private readonly secrets: SecretsClient,
    private readonly endpoints: GoogleEndpoints,
    private readonly tokens: DelegatedTokenCache,
  ) {
    super();
  }

  async list(service: SourceService): Promise<SourceEntry[]> {
    const settings = settingsOf(service);
    const grant = await this.grant(service, settings);
    try {
      // The token first, so a refused grant is reported as the token endpoint worded it.
      await this.tokens.token(this.endpoints, grant);
      const get = this.directoryGet(grant);
      const users = await listWorkspaceUsers(get, scopeOf(settings));
      const entries = users.map(entryOfWorkspaceUser).filter((entry) => entry !== undefined);
      if (settings.groupKey === undefined) return entries;
      const isMember = memberFilter(await listGroupMembers(get, settings.groupKey));
      return entries.filter((entry) => isMember(entry.externalId));
    } catch (error) {
      throw sourceError(explain(parseGoogleError(error), settings, grant));
    }
  }

  async test(service: SourceService): Promise<TestConnectionResult> {
    const settings = settingsOf(service);
    const grant = await this.grant(service, settings);
    const groupKey = settings.groupKey;
    return runConnectionTest(
      ['acquire token', 'list users', ...(groupKey === undefined ? [] : ['list group members'])],
      async (done) => {
        await this.tokens.token(this.endpoints, grant);
        done(`${grant.key.clientEmail} acting as ${settings.adminSubject}`);
        const get = this.directoryGet(grant);
        const users = await listWorkspaceUsers(get, scopeOf(settings), { limitPages: 1 });
        const withGmail = users.map(entryOfWorkspaceUser).filter((entry) => entry !== undefined).length;
        done(`${users.length} users on the first page, ${withGmail} of them with Gmail`);
        if (groupKey === undefined) return;
        const members = await listGroupMembers(get, groupKey, { limitPages: 1 });
        done(`${members.length} members of ${groupKey} on the first page`);
      },
      (error) => explain(parseGoogleError(error), settings, grant),
    );
  }

  /**
   * Directory API GETs with the cached token; a 401 (a token revoked or expired early) drops it
   * and tries once more with a new one.
   */
  private directoryGet(grant: DelegatedTokenRequest): DirectoryGet {
    const base = directoryUrl(this.endpoints);
    const once = async <T>(path: string, query: Parameters<DirectoryGet>[1]) =>
      googleJson<T>({
        url: `${base}${path}`,
        query,
        accessToken: await this.tokens.token(this.endpoints, grant),
      });
    return async <T>(path: string, query: Parameters<DirectoryGet>[1]) => {
      try {
        return await once<T>(path, query);
      } catch (error) {
        if (!(error instanceof GoogleApiError) || error.status !== 401) throw error;
        this.tokens.invalidate(this.endpoints, grant);
        return once<T>(path, query);
      }
    };
  }

  /** The key, resolved just in time (SPEC S7), the admin to act as, and the scopes this service needs. */
  private async grant(
    service: SourceService,
    settings: GoogleWorkspaceDirectorySettings,
  ): Promise<DelegatedTokenRequest> {
    const secret = await this.secrets.resolve(service.tenantId, settings.credentialsSecretId);
    if (!secret) throw missingSecret(service.name);
    let key;
    try {
      key = serviceAccountKeyFromSecret(secret);
    } catch (error) {
      throw new ContractError('RULE_VIOLATION', (error as Error).message, {
        reason: 'directory_source_configuration',
      });
    }
    return { key, subject: settings.adminSubject, scopes: scopesOf(settings) };
  }
}

function settingsOf(service: SourceService): GoogleWorkspaceDirectorySettings {
  return service.settings as unknown as GoogleWorkspaceDirectorySettings;
}

function scopesOf(settings: Pick<GoogleWorkspaceDirectorySettings, 'groupKey'>): string[] {
  return [
    GOOGLE_SCOPES.directoryUserReadonly,
    ...(settings.groupKey === undefined ? [] : [GOOGLE_SCOPES.directoryGroupMemberReadonly]),
  ];
}

function scopeOf(settings: GoogleWorkspaceDirectorySettings): UsersScope {
  return settings.domain !== undefined
    ? { domain: settings.domain }
    : { customer: settings.customer ?? DEFAULT_CUSTOMER };
}

/**
 * Google's refusals in the words of this service's settings: what to grant, to whom, or which
 * setting is wrong. Google's own text stays in `serverMessage`.
 */
function explain(
  parsed: ParsedGoogleError,
  settings: GoogleWorkspaceDirectorySettings,
  grant: DelegatedTokenRequest,
): ParsedGoogleError {
  const reason = parsed.googleReason;
  const clientId = grant.key.clientId ? ` (client id ${grant.key.clientId})` : '';
  const configuration = (message: string): ParsedGoogleError => ({
    ...parsed,
    code: 'VALIDATION',
    category: 'configuration',
    message,
  });
  if (reason === 'unauthorized_client') {
    return {
      ...parsed,
      message: `The service account${clientId} is not authorised for ${grant.scopes.join(', ')}: grant these scopes under domain-wide delegation (Admin console → Security → API controls)`,
    };
  }
  // "Invalid email or User ID": the subject, as opposed to a refused clock or signature.
  if (reason === 'invalid_grant' && /email|user id/i.test(parsed.serverMessage)) {
    return configuration(
      `Google does not accept ${settings.adminSubject} as the admin subject: it is unknown, mistyped or suspended`,
    );
  }
  const where =
    settings.domain !== undefined
      ? `the domain ${settings.domain}`
      : `the customer ${settings.customer ?? DEFAULT_CUSTOMER}`;
  if (parsed.status === 403 && reason === 'forbidden') {
    return {
      ...parsed,
      message: `${settings.adminSubject} may not read the users of ${where}: the admin subject must be an admin of that account with the privilege to read users${settings.groupKey ? ' and groups' : ''}`,
    };
  }
  if (parsed.status === 404 && settings.groupKey !== undefined && /groupKey/i.test(parsed.serverMessage)) {
    return configuration(`Google has no group ${settings.groupKey} in this account`);
  }
  if (parsed.status === 404) {
    return configuration(`Google does not know ${where}`);
  }
  if (parsed.status === 400) return configuration(`Google refused a setting of this directory service`);
  return parsed;
}
