import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import {
  MailboxPayload,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_SECONDARY_ADDRESSES,
} from '../shared/mailbox.payload.js';

export class MailboxCreateRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** Required; a valid address, unique in the tenant (primary and secondary), case-insensitively. */
  @IsString()
  @MaxLength(320)
  primaryAddress!: string;
  /** Further addresses, each valid and unique in the tenant. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SECONDARY_ADDRESSES)
  @IsString({ each: true })
  @MaxLength(320, { each: true })
  secondaryAddresses?: string[];
  /** A name for people. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  displayName?: string;
  /** True when absent. */
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
  /** A static directory service of the tenant to assign the mailbox to. */
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string | null;
}

/** Creates a mailbox by hand (origin `manual`). CONFLICT when an address is taken. */
export const MAILBOX_CREATE_V1 = defineRequest({
  subject: 'directory.req.mailbox.create.v1',
  request: MailboxCreateRequest,
  reply: MailboxPayload,
});
