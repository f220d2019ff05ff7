import {
  ContractError,
  type M365DirectorySettings,
  type TestConnectionResult,
  type TestConnectionStep,
} from '@mailkeep/contracts';
import {
  type AppRegistration,
  type AppTokenCache,
  createGraphClient,
  credentialFromSecret,
  type MicrosoftEndpoints,
  type ParsedGraphError,
  parseGraphError,
} from '@mailkeep/microsoft-graph';

import type { SecretsClient } from '../../ports/secrets.js';
import { DirectorySource, type SourceEntry, type SourceService } from '../directory-source.js';
import { entryOfUser } from './entra-user.js';
import { hasMailbox, listEntraUsers } from './graph-users.js';

/**
 * Mailbox probes in flight at once: enough to list a few thousand users in a minute or two, few
 * enough to stay far below Graph's per-app throttling limits.
 */
const MAILBOX_PROBES_IN_FLIGHT = 4;

/**
 * Entra ID users that have a mailbox (SPEC D3 m365), through Microsoft Graph with app-only auth
 * (@mailkeep/microsoft-graph: the token cache remembers a rejected secret, so it is tried once).
 */
export class M365DirectorySource extends DirectorySource {
  constructor(
    private readonly secrets: SecretsClient,
    private readonly endpoints: MicrosoftEndpoints,
    private readonly tokens: AppTokenCache,
  ) {
    super();
  }

  async list(service: SourceService): Promise<SourceEntry[]> {
    const settings = service.settings as unknown as M365DirectorySettings;
    const registration = await this.registration(service, settings);
    try {
      // The token first: the SDK would wrap a refused credential into a transport error.
      await this.tokens.token(this.endpoints, registration);
      const client = this.client(registration);
      const users = await listEntraUsers(client, groupOf(settings));
      const candidates = users.map(entryOfUser).filter((entry) => entry !== undefined);
      const found = await mapLimited(candidates, MAILBOX_PROBES_IN_FLIGHT, (entry) =>
        hasMailbox(client, entry.externalId),
      );
      return candidates.filter((_, index) => found[index]);
    } catch (error) {
      throw sourceError(parseGraphError(error));
    }
  }

  async test(service: SourceService): Promise<TestConnectionResult> {
    const settings = service.settings as unknown as M365DirectorySettings;
    const listing = settings.groupId ? 'list group members' : 'list users';
    const started = Date.now();
    const steps: TestConnectionStep[] = [];
    let current = { name: 'acquire token', at: started };
    const done = (detail: string, next: string): void => {
      steps.push({ name: current.name, status: 'ok', durationMs: Date.now() - current.at, detail });
      current = { name: next, at: Date.now() };
    };
    const transcript = (): string => steps.map((s) => `${s.name}: ${s.status} (${s.detail})`).join('\n');
    const registration = await this.registration(service, settings);
    try {
      await this.tokens.token(this.endpoints, registration);
      done(`app ${settings.applicationId} in directory ${settings.directoryId}`, listing);
      const users = await listEntraUsers(this.client(registration), { ...groupOf(settings), limitPages: 1 });
      const withMail = users.map(entryOfUser).filter((entry) => entry !== undefined).length;
      done(`${users.length} users on the first page, ${withMail} of them members with an address`, '');
      return { success: true, durationMs: Date.now() - started, steps, transcript: transcript() };
    } catch (error) {
      const failure = parseGraphError(error);
      steps.push({
        name: current.name,
        status: 'failed',
        durationMs: Date.now() - current.at,
        detail: failure.serverMessage || failure.message,
      });
      if (current.name !== listing)
        steps.push({ name: listing, status: 'skipped', durationMs: 0, detail: '' });
      return {
        success: false,
        durationMs: Date.now() - started,
        steps,
        error: { category: failure.category, message: failure.message, serverMessage: failure.serverMessage },
        transcript: transcript(),
      };
    }
  }

  private client(registration: AppRegistration) {
    return createGraphClient({
      endpoints: this.endpoints,
      accessToken: () => this.tokens.token(this.endpoints, registration),
    });
  }

  /** The app and its secret, resolved just in time (SPEC S7); a secret that is gone is a clear failure. */
  private async registration(
    service: SourceService,
    settings: M365DirectorySettings,
  ): Promise<AppRegistration> {
    const secret = await this.secrets.resolve(service.tenantId, settings.credentialsSecretId);
    if (!secret) {
      throw new ContractError(
        'RULE_VIOLATION',
        `The secret of directory service "${service.name}" no longer exists; choose another one`,
        { reason: 'directory_source_configuration' },
      );
    }
    // GUIDs are case-insensitive to Entra; they go on the wire in lower case, as Entra writes them.
    return {
      directoryId: settings.directoryId.toLowerCase(),
      clientId: settings.applicationId.toLowerCase(),
      credential: credentialFromSecret(secret),
    };
  }
}

function groupOf(settings: M365DirectorySettings): { groupId?: string } {
  return settings.groupId === undefined ? {} : { groupId: settings.groupId };
}

/**
 * What a sync answers when the source fails. Never a 5xx for a source that refuses (and never a
 * 401, which the API keeps for its own keys): rejected credentials, missing permissions and wrong
 * settings are RULE_VIOLATION with Microsoft's words; throttling is THROTTLED; a source that is
 * down is UNAVAILABLE.
 */
function sourceError(parsed: ParsedGraphError): ContractError {
  const message = `${parsed.message} (${parsed.serverMessage})`;
  if (parsed.code === 'THROTTLED') return new ContractError('THROTTLED', message);
  if (parsed.code === 'UNAVAILABLE' || parsed.code === 'TEMPORARY' || parsed.code === 'TIMEOUT') {
    return new ContractError('UNAVAILABLE', message, { reason: 'directory_source_unavailable' });
  }
  return new ContractError('RULE_VIOLATION', message, { reason: `directory_source_${parsed.category}` });
}

/** `map` with at most `limit` calls in flight, results in input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  call: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await call(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
