import {
  type ArchiveTarget,
  type ConnectorTools,
  CursorStore,
  type TaskContext,
} from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import type { GmailCursor } from '../cursors/mailbox-cursor.js';
import { LabelFolders, type GmailLabel } from '../labels/label-folders.js';
import type { GoogleAccess } from '../protocol/google-access.js';
import { readGoogleSettings } from '../protocol/google-settings.js';
import { MailboxPass, type MailboxPassOptions, type MailboxPassResult } from './mailbox-pass.js';

/**
 * Archives one Gmail mailbox (one task): reads the profile's settings, impersonates the mailbox
 * (single mode: the profile's source mailbox; multiple mode: the archive mailbox's address, one
 * task per mailbox of the directory), turns its labels into folders under the profile's rules,
 * then runs one pass: a full listing the first time (or after the history expired), history
 * from the stored id afterwards.
 */
export async function archiveMailbox(
  context: TaskContext,
  target: ArchiveTarget<ProfileOfType<'google-workspace'>>,
  tools: ConnectorTools,
  access: GoogleAccess,
  options: Pick<MailboxPassOptions, 'pageSize' | 'minIntervalMs'> = {},
): Promise<MailboxPassResult> {
  const settings = readGoogleSettings(target.profile, target.credentials, target.mailbox.primaryAddress);
  const logger = context.logger.child({ mailbox: settings.sourceMailbox });
  const gmail = access.mailbox(settings, {
    signal: context.signal,
    onThrottled: (waitMs) => context.throttled(waitMs),
    ...(options.minIntervalMs !== undefined && { minIntervalMs: options.minIntervalMs }),
  });
  const { labels } = await gmail.json<{ labels?: GmailLabel[] }>('labels.list', { path: '/labels' });
  const folders = new LabelFolders(labels ?? [], settings.folders);
  if (folders.missing.length > 0)
    logger.warn('folders in the profile are no labels of the mailbox', { missing: folders.missing });
  const cursors = await CursorStore.open<GmailCursor>(tools.bus);
  const pass = new MailboxPass(context, gmail, folders, {
    cursors,
    deleteInSource: settings.deleteInSource,
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
  });
  const result = await pass.run();
  logger.info('mailbox archived', { ...result });
  return result;
}
