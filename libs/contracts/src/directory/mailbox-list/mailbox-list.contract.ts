import { IsOptional, IsUUID } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { DirectoryListRequest } from '../shared/list-request.js';
import { MailboxPage } from '../shared/mailbox.payload.js';

export class MailboxListRequest extends DirectoryListRequest {
  /** Only the mailboxes of this directory service. */
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string;
}

/**
 * Lists mailboxes by primary address: `search` matches an address (primary or secondary) or the
 * display name by inclusion, or the id exactly, case-insensitively.
 */
export const MAILBOX_LIST_V1 = defineRequest({
  subject: 'directory.req.mailbox.list.v1',
  request: MailboxListRequest,
  reply: MailboxPage,
});
