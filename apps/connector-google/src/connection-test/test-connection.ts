import { ConnectionTest, type ProfileDraftOf } from '@mailkeep/connector-kit';
import { gmailUserUrl, googleJson } from '@mailkeep/google-workspace';
import type {
  ConnectorTestConnectionRequest,
  ProfileOfType,
  ResolvedSecret,
  TestConnectionResult,
} from '@mailkeep/contracts';

import { type GmailLabel, LabelFolders } from '../labels/label-folders.js';
import type { GoogleAccess } from '../protocol/google-access.js';
import { type GoogleSettings, readGoogleSettings } from '../protocol/google-settings.js';
import { toConnectionTestFailure } from '../protocol/parse-google-error.js';

const PLAN = ['read profile', 'acquire token', 'open mailbox', 'list labels'] as const;

/**
 * P11 for Google Workspace: a delegated token for the mailbox, its Gmail profile and its label
 * list, each a step with its duration. Failures are categorised from Google's own error bodies
 * (see @mailkeep/google-workspace parse-google-error) with Google's message kept. Quota errors
 * are not retried here.
 */
export async function testGoogleConnection(
  request: ConnectorTestConnectionRequest,
  credentials: ResolvedSecret,
  profile: ProfileDraftOf<ProfileOfType<'google-workspace'>>,
  access: GoogleAccess,
): Promise<TestConnectionResult> {
  const test = new ConnectionTest(PLAN);
  const controller = new AbortController();
  return test.run(async () => {
    const settings: GoogleSettings = await test.step(
      'read profile',
      () => Promise.resolve(readGoogleSettings(profile, credentials, request.mailbox.primaryAddress)),
      (s) => `service account ${s.key.clientEmail} acting as ${s.sourceMailbox}`,
    );
    await test.step(
      'acquire token',
      () => access.token(settings, controller.signal),
      () => `token for ${settings.sourceMailbox} with ${settings.scopes.join(' ')}`,
    );
    // One attempt per call, straight from Google's answer: a test reports a quota error as
    // `throttled` at once rather than waiting it out, and keeps Google's body for the category.
    const call = async <T>(path: string): Promise<T> =>
      googleJson<T>({
        url: `${gmailUserUrl(access.endpoints, settings.sourceMailbox)}${path}`,
        accessToken: await access.token(settings, controller.signal),
        signal: controller.signal,
      });
    await test.step(
      'open mailbox',
      () => call<{ emailAddress: string; messagesTotal?: number }>('/profile'),
      (p) => `${p.emailAddress}: ${p.messagesTotal ?? 0} messages`,
    );
    await test.step(
      'list labels',
      async () => {
        const { labels } = await call<{ labels?: GmailLabel[] }>('/labels');
        return new LabelFolders(labels ?? [], settings.folders);
      },
      (folders) => `${folders.folderCount} folders (labels that are places)`,
    );
  }, toConnectionTestFailure);
}
