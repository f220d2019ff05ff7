import { defineRequest } from '../../core/contract.js';
import { DirectoryDeletedReply } from '../shared/directory-service.payload.js';
import { MailboxRef } from '../shared/mailbox.payload.js';

/**
 * Deletes a mailbox (archived mail stays). Asks profiles first (SPEC D2): a reference is CONFLICT
 * (`in_use`, naming it); no answer is UNAVAILABLE, never a pass.
 */
export const MAILBOX_DELETE_V1 = defineRequest({
  subject: 'directory.req.mailbox.delete.v1',
  request: MailboxRef,
  reply: DirectoryDeletedReply,
});
