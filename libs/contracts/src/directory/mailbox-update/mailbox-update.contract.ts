import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import {
  MailboxPayload,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_SECONDARY_ADDRESSES,
} from '../shared/mailbox.payload.js';
import { IsAbsentOr } from '../../core/optional.js';

export class MailboxUpdateRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The mailbox. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** A new primary address (not on a synced mailbox). */
  @IsAbsentOr()
  @IsString()
  @MaxLength(320)
  primaryAddress?: string;
  /** The new set of secondary addresses (replaces the old one). */
  @IsAbsentOr()
  @IsArray()
  @ArrayMaxSize(MAX_SECONDARY_ADDRESSES)
  @IsString({ each: true })
  @MaxLength(320, { each: true })
  secondaryAddresses?: string[];
  /** A new display name (not on a synced mailbox). */
  @IsAbsentOr()
  @IsString()
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  displayName?: string;
  /** Enable or disable (not on a synced mailbox). */
  @IsAbsentOr()
  @IsBoolean()
  enabled?: boolean;
  /** Assign to a static directory service, or null to unassign (not on a synced mailbox). */
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string | null;
}

/** Changes a mailbox; on a synced one (origin `directory`) only `secondaryAddresses` (RULE_VIOLATION). */
export const MAILBOX_UPDATE_V1 = defineRequest({
  subject: 'directory.req.mailbox.update.v1',
  request: MailboxUpdateRequest,
  reply: MailboxPayload,
});
