import { ConnectionTest, type ConnectorTools } from '@mailkeep/connector-kit';
import type {
  ConnectorTestConnectionRequest,
  ResolvedSecret,
  TestConnectionResult,
} from '@mailkeep/contracts';
import { Folder, PropertySet, WellKnownFolderName } from 'ews-javascript-api';

import { listFolders } from '../folders/list-folders.js';
import type { EwsAccess } from '../protocol/ews-access.js';
import { type ExchangeSettings, readExchangeSettings } from '../protocol/exchange-settings.js';
import { EwsCallError, toConnectionTestFailure } from '../protocol/parse-ews-error.js';

const PLAN = ['read profile', 'authenticate', 'impersonate mailbox', 'list folders'] as const;

/**
 * P11 for Exchange Server: the EWS endpoint reached through the egress policy with TLS verified,
 * the account authenticated with the scheme the server offers (NTLM or Basic), the mailbox opened
 * by impersonation (its Inbox), and its mail folders listed. Failures are categorised from
 * Exchange's own answers: 401 → authentication, ErrorImpersonateUserDenied → authorization,
 * ErrorNonExistentMailbox → configuration, certificate errors → tls, ErrorServerBusy → throttled.
 */
export async function testExchangeConnection(
  request: ConnectorTestConnectionRequest,
  credentials: ResolvedSecret,
  tools: ConnectorTools,
  access: EwsAccess,
): Promise<TestConnectionResult> {
  const test = new ConnectionTest(PLAN);
  const controller = new AbortController();
  return test.run(async () => {
    const settings: ExchangeSettings = await test.step(
      'read profile',
      () =>
        Promise.resolve(
          readExchangeSettings(
            request.profile,
            credentials,
            request.mailbox.primaryAddress,
            access.urlTemplate,
          ),
        ),
      (s) =>
        `${s.url.toString()} as ${s.login}, mailbox ${s.mailbox}${s.rejectUnauthorized ? '' : ' (certificate not verified)'}`,
    );
    const task = {
      egress: tools.egress,
      signal: controller.signal,
      onThrottled: (waitMs: number) => test.log(`ErrorServerBusy; waiting ${waitMs} ms`),
    };
    const account = access.mailbox(settings, task, false);
    try {
      await test.step(
        'authenticate',
        async () => {
          try {
            await account.call('GetFolder msgfolderroot as the account', (service) =>
              Folder.Bind(service, WellKnownFolderName.MsgFolderRoot, PropertySet.IdOnly),
            );
          } catch (error) {
            // A SOAP answer means the credentials were accepted: a service account often has no
            // mailbox of its own (ErrorNonExistentMailbox), which is no reason to fail here.
            if (!(error instanceof EwsCallError) || !error.failure.code.startsWith('Error')) throw error;
          }
          return account.transport.authScheme;
        },
        (scheme) => `authenticated with ${scheme === 'ntlm' ? 'NTLM' : 'Basic'}`,
      );
    } finally {
      account.close();
    }
    const ews = access.mailbox(settings, task);
    try {
      await test.step(
        'impersonate mailbox',
        () =>
          ews.call(`GetFolder Inbox of ${settings.mailbox}`, (service) =>
            Folder.Bind(service, WellKnownFolderName.Inbox, PropertySet.FirstClassProperties),
          ),
        (inbox) => `${settings.mailbox}: Inbox holds ${inbox.TotalCount} items`,
      );
      await test.step(
        'list folders',
        () => listFolders(ews),
        (folders) => `${folders.length} mail folders`,
      );
    } finally {
      ews.close();
    }
  }, toConnectionTestFailure);
}
