import type { ConnectorDefinition } from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import { archiveMailbox } from './archive/archive-mailbox.js';
import { testImapConnection } from './connection-test/test-connection.js';

/**
 * The IMAP connector (SPEC §3.5, `imapflow`): what `runConnectorService` runs in this app. It
 * receives imap profiles only, their settings checked against `ImapSettings` by the kit.
 */
export const imapConnector: ConnectorDefinition<ProfileOfType<'imap'>> = {
  type: 'imap',
  archiveMailbox: async (context, target, tools) => {
    await archiveMailbox(context, target, tools);
  },
  testConnection: testImapConnection,
};
