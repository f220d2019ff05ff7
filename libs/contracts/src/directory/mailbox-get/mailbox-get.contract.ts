import { defineRequest } from '../../core/contract.js';
import { MailboxPayload, MailboxRef } from '../shared/mailbox.payload.js';

/** Reads one mailbox; NOT_FOUND for another tenant's id. */
export const MAILBOX_GET_V1 = defineRequest({
  subject: 'directory.req.mailbox.get.v1',
  request: MailboxRef,
  reply: MailboxPayload,
});
