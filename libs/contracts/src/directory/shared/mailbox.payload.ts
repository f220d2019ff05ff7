import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** How a mailbox came to be: created by hand (or CSV import), or by a directory sync. */
export const MAILBOX_ORIGINS = ['manual', 'directory'] as const;
export type MailboxOrigin = (typeof MAILBOX_ORIGINS)[number];

/** Longest display name kept (matches common directory limits, e.g. Entra ID's 256). */
export const MAX_DISPLAY_NAME_LENGTH = 256;
/** Secondary addresses of one mailbox; directories rarely hold more than a few dozen aliases. */
export const MAX_SECONDARY_ADDRESSES = 100;

/** A mailbox as the API returns it (SPEC §5). */
export class MailboxPayload {
  /** Its id (UUID). */
  @IsUUID()
  id!: string;
  /** The primary address, domain normalised to lower-case ASCII. */
  @IsString()
  @MaxLength(320)
  primaryAddress!: string;
  /** Further addresses of the same mailbox, normalised like the primary one. */
  @IsArray()
  @IsString({ each: true })
  secondaryAddresses!: string[];
  /** A name for people; empty when unknown. */
  @IsString()
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  displayName!: string;
  /** The directory service it belongs to, or null. */
  @IsOptional()
  @IsUUID()
  directoryServiceId!: string | null;
  /** Disabled mailboxes are not archived. */
  @IsBoolean()
  enabled!: boolean;
  /** `manual` (by hand or import) or `directory` (synced: only secondary addresses are editable). */
  @IsIn(MAILBOX_ORIGINS)
  origin!: MailboxOrigin;
}

/** One page of mailboxes. */
export class MailboxPage {
  /** The mailboxes of this page. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MailboxPayload)
  items!: MailboxPayload[];
  /** Cursor of the next page; null on the last one. */
  @IsOptional()
  @IsString()
  nextCursor!: string | null;
}

/** Request naming one mailbox of a tenant. */
export class MailboxRef {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The mailbox id; anything that is not one answers NOT_FOUND. */
  @IsString()
  @MaxLength(200)
  id!: string;
}
