import type { ConnectorDefinition } from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import { archiveMailbox } from './archive/archive-mailbox.js';
import { testM365Connection } from './connection-test/test-connection.js';
import type { GraphAccess } from './protocol/graph-access.js';

/** The Microsoft 365 connector (SPEC §3.5, Microsoft Graph): what `runConnectorService` runs in this app. */
export function m365Connector(access: GraphAccess): ConnectorDefinition<ProfileOfType<'m365'>> {
  return {
    type: 'm365',
    archiveMailbox: async (context, target, tools) => {
      await archiveMailbox(context, target, tools, access);
    },
    testConnection: (request, credentials, _tools, profile) =>
      testM365Connection(request, credentials, profile, access),
  };
}
