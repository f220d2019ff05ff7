import type { ConnectorDefinition } from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import { archivePop3Mailbox, type Pop3ArchiveOptions } from './archive/archive-mailbox.js';
import { testPop3Connection } from './connection-test/test-connection.js';

/** Settings of the connector besides the profile; production uses none of them. */
export type Pop3ConnectorOptions = Pop3ArchiveOptions;

/** A connector of pop3 profiles: the kit checks their settings against `Pop3Settings` first. */
export type Pop3ConnectorDefinition = ConnectorDefinition<ProfileOfType<'pop3'>>;

/** The POP3 connector (SPEC §3.5): its archive task and its connection test. */
export function createPop3Connector(options: Pop3ConnectorOptions = {}): Pop3ConnectorDefinition {
  return {
    type: 'pop3',
    archiveMailbox: (context, target, tools) => archivePop3Mailbox(context, target, tools, options),
    testConnection: (request, credentials, tools) =>
      testPop3Connection(request, credentials, tools, options.ca === undefined ? {} : { ca: options.ca }),
  };
}

export const pop3Connector: Pop3ConnectorDefinition = createPop3Connector();
