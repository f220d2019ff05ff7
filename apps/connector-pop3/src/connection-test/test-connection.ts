import { ConnectionTest, type ConnectorTools } from '@mailkeep/connector-kit';
import type {
  ConnectorTestConnectionRequest,
  ResolvedSecret,
  TestConnectionResult,
} from '@mailkeep/contracts';

import { classifyPop3Failure } from '../protocol/parse-pop3-error.js';
import type { Pop3Client } from '../protocol/pop3-client.js';
import { pop3Login, pop3Settings } from '../protocol/pop3-settings.js';
import { CONNECT_STEPS, connectPop3, type StepRunner } from '../protocol/pop3-transport.js';

/** The steps of a POP3 connection test, in order (SPEC P11). */
export const TEST_CONNECTION_STEPS = [...CONNECT_STEPS, 'authenticate', 'list messages'] as const;

/**
 * Tries a profile against its server step by step (P11): connect, TLS, CAPA, log in, STAT. Reads
 * nothing and changes nothing: the session ends with QUIT without any DELE. Never throws; a failure
 * is in the result with its category and the server's own words.
 */
export async function testPop3Connection(
  request: ConnectorTestConnectionRequest,
  credentials: ResolvedSecret,
  tools: Pick<ConnectorTools, 'egress'>,
  options: { ca?: string } = {},
): Promise<TestConnectionResult> {
  const test = new ConnectionTest(TEST_CONNECTION_STEPS);
  const step: StepRunner = (name, run, detail) => test.step(name, run, detail);
  let client: Pop3Client | undefined;
  const result = await test.run(async () => {
    const settings = pop3Settings(request.profile);
    const login = pop3Login(request.profile['mode'], credentials, request.mailbox);
    test.log(
      `POP3 ${settings.security === 'implicit' ? 'over TLS' : 'with STLS'} to ${settings.host}:${settings.port}`,
    );
    const session = await connectPop3(settings, {
      egress: tools.egress,
      step,
      transcript: (line) => test.log(line),
      ...(options.ca !== undefined && { ca: options.ca }),
    });
    client = session.client;
    const connected = session.client;
    await step(
      'authenticate',
      () => connected.login(login, session.capabilities),
      (text) => text,
    );
    await step(
      'list messages',
      () => connected.stat(),
      (stat) => `${stat.messages} messages, ${stat.octets} octets`,
    );
    await connected.quit().catch(() => undefined); // the test has its answer; a failed logout changes nothing
  }, classifyPop3Failure);
  client?.close();
  return result;
}
