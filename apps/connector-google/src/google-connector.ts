import type { ConnectorDefinition } from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import { archiveMailbox } from './archive/archive-mailbox.js';
import { testGoogleConnection } from './connection-test/test-connection.js';
import type { GoogleAccess } from './protocol/google-access.js';

/**
 * The Google Workspace connector (SPEC §3.5, Gmail API with a service account's domain-wide
 * delegation): what `runConnectorService` runs in this app. It receives google-workspace profiles
 * only, their settings checked against `GoogleWorkspaceSettings` by the kit.
 */
export function googleConnector(
  access: GoogleAccess,
): ConnectorDefinition<ProfileOfType<'google-workspace'>> {
  return {
    type: 'google-workspace',
    archiveMailbox: async (context, target, tools) => {
      await archiveMailbox(context, target, tools, access);
    },
    testConnection: (request, credentials, _tools, profile) =>
      testGoogleConnection(request, credentials, profile, access),
  };
}
