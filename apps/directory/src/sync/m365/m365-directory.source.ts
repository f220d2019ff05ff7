import {
  ContractError,
  type M365DirectorySettings,
  type TestConnectionResult,
  type TestConnectionStep,
} from '@mailkeep/contracts';

import type { SecretsClient } from '../../ports/secrets.js';
import { DirectorySource, type SourceEntry, type SourceService } from '../directory-source.js';
import { acquireGraphToken, type AppCredentials } from './entra-token.js';
import { entryOfUser } from './entra-user.js';
import { GraphFailure } from './graph-failure.js';
import { hasMailbox, listEntraUsers } from './graph-users.js';
import type { M365Endpoints } from './m365-endpoints.js';

/**
 * Mailbox probes in flight at once: enough to list a few thousand users in a minute or two, few
 * enough to stay far below Graph's per-app throttling limits.
 */
const MAILBOX_PROBES_IN_FLIGHT = 4;

/** Entra ID users that have a mailbox (SPEC D3 m365), through Microsoft Graph with app-only auth. */
export class M365DirectorySource extends DirectorySource {
  constructor(
    private readonly secrets: SecretsClient,
    private readonly endpoints: M365Endpoints,
  ) {
    super();
  }

  async list(service: SourceService): Promise<SourceEntry[]> {
    const settings = service.settings as unknown as M365DirectorySettings;
    const app = await this.credentials(service, settings);
    try {
      const token = await acquireGraphToken(this.endpoints, app);
      const users = await listEntraUsers(this.endpoints, token, {
        ...(settings.groupId !== undefined && { groupId: settings.groupId }),
      });
      const candidates = users.map(entryOfUser).filter((entry) => entry !== undefined);
      const found = await mapLimited(candidates, MAILBOX_PROBES_IN_FLIGHT, (entry) =>
        hasMailbox(this.endpoints, token, entry.externalId),
      );
      return candidates.filter((_, index) => found[index]);
    } catch (error) {
      if (error instanceof GraphFailure) throw error.toContractError();
      throw error;
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
    try {
      const app = await this.credentials(service, settings);
      const token = await acquireGraphToken(this.endpoints, app);
      done(`app ${settings.applicationId} in directory ${settings.directoryId}`, listing);
      const users = await listEntraUsers(this.endpoints, token, {
        ...(settings.groupId !== undefined && { groupId: settings.groupId }),
        limitPages: 1,
      });
      const withMailbox = users.map(entryOfUser).filter((entry) => entry !== undefined).length;
      done(`${users.length} users on the first page, ${withMailbox} with a mailbox`, '');
      return { success: true, durationMs: Date.now() - started, steps, transcript: transcript() };
    } catch (error) {
      const failure = asFailure(error);
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

  /** The secret, resolved just in time (SPEC S7); one that is gone is a clear failure. */
  private async credentials(
    service: SourceService,
    settings: M365DirectorySettings,
  ): Promise<AppCredentials> {
    const secret = await this.secrets.resolve(service.tenantId, settings.credentialsSecretId);
    if (!secret) {
      throw new ContractError(
        'RULE_VIOLATION',
        `The secret of directory service "${service.name}" no longer exists; choose another one`,
        { reason: 'directory_source_configuration' },
      );
    }
    return { directoryId: settings.directoryId, applicationId: settings.applicationId, secret };
  }
}

/** A failure the test reports as its result; anything else (the bus down, a bug) propagates. */
function asFailure(error: unknown): GraphFailure {
  if (error instanceof GraphFailure) return error;
  if (error instanceof ContractError && error.code === 'RULE_VIOLATION') {
    return new GraphFailure('configuration', error.message, '');
  }
  throw error;
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
