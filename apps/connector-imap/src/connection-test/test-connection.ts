import { ConnectionTest, type ConnectorTools } from '@mailkeep/connector-kit';
import type {
  ConnectorTestConnectionRequest,
  ResolvedSecret,
  TestConnectionResult,
} from '@mailkeep/contracts';

import { ImapSession } from '../protocol/imap-client.js';
import {
  type ImapLogin,
  type ImapServerSettings,
  readLogin,
  readServerSettings,
} from '../protocol/imap-settings.js';
import { classifyTestFailure } from '../protocol/parse-imap-error.js';
import { describeTls, openTcp, resolveHost, secure } from './transport-probe.js';

/** The steps of an IMAP connection test, in order (P11). */
export const TEST_STEPS = [
  'resolve host',
  'connect',
  'tls handshake',
  'authenticate',
  'list folders',
] as const;

/**
 * Tests a profile (saved or draft) against the server step by step: DNS, TCP, TLS (implicit or
 * STARTTLS), login (as the mailbox, or as the privileged user for it in multiple mode) and LIST.
 * Read-only: nothing is selected, fetched or changed. Never throws; a failure is classified
 * (`dns`, `network`, `tls`, `timeout`, `authentication`, …) with the server's own message.
 */
export async function testImapConnection(
  request: ConnectorTestConnectionRequest,
  credentials: ResolvedSecret,
  tools: ConnectorTools,
): Promise<TestConnectionResult> {
  const test = new ConnectionTest(TEST_STEPS);
  return test.run(async () => {
    // Unusable settings throw here, before any step: the result says `configuration`.
    const server = readServerSettings(request.profile);
    const login = readLogin(request.profile, credentials, request.mailbox.primaryAddress);
    test.log(`testing ${server.protocol} ${server.host}:${server.port} (timeout ${server.timeoutMs} ms)`);
    await probeTransport(test, server, tools);
    await probeLogin(test, server, login, tools);
  }, classifyTestFailure);
}

async function probeTransport(
  test: ConnectionTest,
  server: ImapServerSettings,
  { egress }: ConnectorTools,
): Promise<void> {
  const target = await test.step(
    'resolve host',
    () => resolveHost(server, egress),
    (found) => found.addresses.join(', '),
  );
  const socket = await test.step(
    'connect',
    () => openTcp(target, server, egress),
    () => `${target.address}:${server.port}`,
  );
  try {
    const tls = await test.step(
      'tls handshake',
      () => secure(socket, server, egress.tlsTarget(target)),
      (secured) => {
        const details = describeTls(secured);
        return [
          details.greeting && `greeting: ${details.greeting}`,
          `${details.protocol} ${details.cipher}`,
          `certificate ${details.certificate}${details.authorized ? '' : ' (not verified: ignoreTlsCertificateErrors)'}`,
        ]
          .filter(Boolean)
          .join('; ');
      },
    );
    tls.destroy();
  } finally {
    socket.destroy();
  }
}

async function probeLogin(
  test: ConnectionTest,
  server: ImapServerSettings,
  login: ImapLogin,
  tools: ConnectorTools,
): Promise<void> {
  const session = await test.step(
    'authenticate',
    () => ImapSession.open(server, login, tools),
    () =>
      login.authorizeAs
        ? `logged in as ${login.user} for ${login.authorizeAs}`
        : `logged in as ${login.user}`,
  );
  try {
    await test.step(
      'list folders',
      () => session.call('LIST', (client) => client.list()),
      (folders) =>
        `${folders.length} folders: ${folders.map((folder) => folder.path).join(', ')}`.slice(0, 4000),
    );
  } finally {
    await session.close();
  }
}
