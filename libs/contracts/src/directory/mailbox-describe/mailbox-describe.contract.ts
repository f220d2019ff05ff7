import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { MailboxRef } from '../shared/mailbox.payload.js';

export class MailboxDescription {
  /** Its id. */
  @IsUUID()
  id!: string;
  /** Its primary address. */
  @IsString()
  @MaxLength(320)
  primaryAddress!: string;
  /** Its display name; empty when unknown. */
  @IsString()
  @MaxLength(1000)
  displayName!: string;
  /** Disabled mailboxes are not archived. */
  @IsBoolean()
  enabled!: boolean;
  /** The directory service it belongs to, or null. */
  @IsOptional()
  @IsUUID()
  directoryServiceId!: string | null;
}

/** What other services (profiles) need to know about a mailbox they point at; NOT_FOUND if none. */
export const MAILBOX_DESCRIBE_V1 = defineRequest({
  subject: 'directory.req.mailbox.describe.v1',
  request: MailboxRef,
  reply: MailboxDescription,
});
