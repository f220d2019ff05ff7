import { ConnectionTest } from '@mailkeep/connector-kit';
import type {
  ConnectorTestConnectionRequest,
  ResolvedSecret,
  TestConnectionResult,
} from '@mailkeep/contracts';

import { listFolders } from '../folders/list-folders.js';
import type { GraphAccess } from '../protocol/graph-access.js';
import { type M365Profile, type M365Settings, readM365Settings } from '../protocol/m365-settings.js';
import { toConnectionTestFailure } from '../protocol/parse-graph-error.js';

const PLAN = ['read profile', 'acquire token', 'open mailbox', 'list folders'] as const;

/**
 * P11 for Microsoft 365: an app-only token from the identity platform, the mailbox's Inbox, and
 * its folder list, each a step with its duration. Failures are categorised from Microsoft's own
 * error bodies (see @mailkeep/microsoft-graph parse-graph-error) with Microsoft's message kept.
 */
export async function testM365Connection(
  request: ConnectorTestConnectionRequest,
  credentials: ResolvedSecret,
  profile: M365Profile,
  access: GraphAccess,
): Promise<TestConnectionResult> {
  const test = new ConnectionTest(PLAN);
  const controller = new AbortController();
  return test.run(async () => {
    const settings: M365Settings = await test.step(
      'read profile',
      () => Promise.resolve(readM365Settings(profile, credentials, request.mailbox.primaryAddress)),
      (s) =>
        `application ${s.registration.clientId} in directory ${s.registration.directoryId}, ${s.registration.credential.kind}`,
    );
    await test.step(
      'acquire token',
      () => access.tokens.token(access.endpoints, settings.registration, controller.signal),
      () => `token from ${access.endpoints.authorityUrl}`,
    );
    const graph = access.mailbox(settings, {
      signal: controller.signal,
      onThrottled: (waitMs) => test.log(`throttled; waiting ${waitMs} ms`),
    });
    await test.step(
      'open mailbox',
      () =>
        graph.call(
          'open the Inbox',
          (client) =>
            client.api(`${graph.userPath}/mailFolders/inbox`).select('id,totalItemCount').get() as Promise<{
              totalItemCount?: number;
            }>,
        ),
      (folder) => `${settings.sourceMailbox}: Inbox holds ${folder.totalItemCount ?? 0} messages`,
    );
    await test.step(
      'list folders',
      () => listFolders(graph),
      (folders) => `${folders.length} folders`,
    );
  }, toConnectionTestFailure);
}
