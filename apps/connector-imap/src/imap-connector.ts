import type { ConnectorDefinition } from '@mailkeep/connector-kit';

import { archiveMailbox } from './archive/archive-mailbox.js';
import { testImapConnection } from './connection-test/test-connection.js';

/** The IMAP connector (SPEC §3.5, `imapflow`): what `runConnectorService` runs in this app. */
export const imapConnector: ConnectorDefinition = {
  type: 'imap',
  archiveMailbox: async (context, target, tools) => {
    await archiveMailbox(context, target, tools);
  },
  testConnection: testImapConnection,
};
