import type { M365DirectorySettings, TestConnectionResult } from '@mailkeep/contracts';
import {
  type AppRegistration,
  type AppTokenCache,
  createGraphClient,
  credentialFromSecret,
  type MicrosoftEndpoints,
  parseGraphError,
} from '@mailkeep/microsoft-graph';

import type { SecretsClient } from '../../ports/secrets.js';
import { DirectorySource, type SourceEntry, type SourceService } from '../directory-source.js';
import { missingSecret, runConnectionTest, sourceError } from '../source-failure.js';
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
    const registration = await this.registration(service, settings);
    return runConnectionTest(
      ['acquire token', listing],
      async (done) => {
        await this.tokens.token(this.endpoints, registration);
        done(`app ${settings.applicationId} in directory ${settings.directoryId}`);
        const users = await listEntraUsers(this.client(registration), {
          ...groupOf(settings),
          limitPages: 1,
        });
        const withMail = users.map(entryOfUser).filter((entry) => entry !== undefined).length;
        done(`${users.length} users on the first page, ${withMail} of them members with an address`);
      },
      parseGraphError,
    );
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
    if (!secret) throw missingSecret(service.name);
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
