import type { ConnectorDefinition } from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import { archiveMailbox } from './archive/archive-mailbox.js';
import { testExchangeConnection } from './connection-test/test-connection.js';
import type { EwsAccess } from './protocol/ews-access.js';

/**
 * The Exchange Server connector (SPEC §3.5, EWS with `ews-javascript-api`): what
 * `runConnectorService` runs in this app. It receives exchange profiles only, their settings
 * checked against `ExchangeSettings` by the kit.
 */
export function exchangeConnector(access: EwsAccess): ConnectorDefinition<ProfileOfType<'exchange'>> {
  return {
    type: 'exchange',
    archiveMailbox: async (context, target, tools) => {
      await archiveMailbox(context, target, tools, access);
    },
    testConnection: (request, credentials, tools) =>
      testExchangeConnection(request, credentials, tools, access),
  };
}
