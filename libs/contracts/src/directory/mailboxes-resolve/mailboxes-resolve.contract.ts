import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';

/** Largest resolve page: 1,000 mailboxes are about 200 KB, well under NATS's 1 MB payload. */
export const MAX_RESOLVE_PAGE_SIZE = 1_000;

export class MailboxesResolveRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The directory service whose members are wanted. */
  @IsUUID()
  directoryServiceId!: string;
  /** Page size, 1–1000. */
  @IsInt()
  @Min(1)
  @Max(MAX_RESOLVE_PAGE_SIZE)
  limit!: number;
  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class ResolvedMailbox {
  /** The mailbox id. */
  @IsUUID()
  id!: string;
  /** Its primary address. */
  @IsString()
  @MaxLength(320)
  primaryAddress!: string;
  /** Its secondary addresses. */
  @IsArray()
  @IsString({ each: true })
  secondaryAddresses!: string[];
  /** Its display name. */
  @IsString()
  @MaxLength(1000)
  displayName!: string;
}

export class MailboxesResolveReply {
  /** Enabled members, by id. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ResolvedMailbox)
  items!: ResolvedMailbox[];
  /** Cursor of the next page; null on the last one. */
  @IsOptional()
  @IsString()
  nextCursor!: string | null;
}

/**
 * The enabled mailboxes of a directory service in keyset pages (a directory may hold 100,000), for
 * the scheduler's multi-mailbox runs. NOT_FOUND for an unknown directory service.
 */
export const MAILBOXES_RESOLVE_V1 = defineRequest({
  subject: 'directory.req.mailboxes.resolve.v1',
  request: MailboxesResolveRequest,
  reply: MailboxesResolveReply,
});
