import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { DIRECTORY_SERVICE_TYPES, type DirectoryServiceType } from './directory-service-settings.js';

/** The counts of a sync (SPEC D4): the answer's head, and what a committed sync keeps as `lastSync`. */
export class SyncSummaryPayload {
  /** True when nothing was changed ("test"). */
  @IsBoolean()
  dryRun!: boolean;
  /** When it started (ISO-8601 UTC). */
  @IsISO8601()
  startedAt!: string;
  /** When it finished (ISO-8601 UTC). */
  @IsISO8601()
  finishedAt!: string;
  /** Mailboxes created (or that would be). */
  @IsInt()
  @Min(0)
  created!: number;
  /** Mailboxes updated (or that would be). */
  @IsInt()
  @Min(0)
  updated!: number;
  /** Mailboxes disabled because they left the source (or that would be). */
  @IsInt()
  @Min(0)
  disabled!: number;
  /** Mailboxes already as the source describes them. */
  @IsInt()
  @Min(0)
  unchanged!: number;
}

export const SYNC_ACTIONS = ['create', 'update', 'disable'] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

/** One mailbox a sync creates, updates or disables, as it is (or would be) afterwards. */
export class SyncChangePayload {
  /** What happens to it. */
  @IsIn(SYNC_ACTIONS)
  action!: SyncAction;
  /** Its primary address. */
  @IsString()
  @MaxLength(320)
  primaryAddress!: string;
  /** Its display name. */
  @IsString()
  @MaxLength(256)
  displayName!: string;
  /** Its secondary addresses. */
  @IsArray()
  @IsString({ each: true })
  secondaryAddresses!: string[];
  /** Whether it is enabled afterwards. */
  @IsBoolean()
  enabled!: boolean;
}

/** A source entry the sync could not apply; the rest of the sync goes on. */
export class SyncEntryErrorPayload {
  /** The entry: its primary address, or the source's name for it when it has none usable. */
  @IsString()
  @MaxLength(400)
  entry!: string;
  /** Why it was skipped. */
  @IsString()
  @MaxLength(1000)
  message!: string;
}

/** What a sync did, or would do on a dry run (SPEC D4). The same shape for every type. */
export class SyncResultPayload extends SyncSummaryPayload {
  /** The mailboxes created, updated or disabled (or that would be), at most SYNC_LISTED_LIMIT. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SyncChangePayload)
  changes!: SyncChangePayload[];
  /** Entries that could not be applied, at most SYNC_LISTED_LIMIT. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SyncEntryErrorPayload)
  errors!: SyncEntryErrorPayload[];
}

/**
 * How many changes and errors one answer lists (the counts stay exact). A listed change is about
 * 150 bytes of JSON; 2,000 of each stay well under NATS's default 1 MiB message size.
 */
export const SYNC_LISTED_LIMIT = 2_000;

/** A directory service as the API returns it (SPEC §5). */
export class DirectoryServicePayload {
  /** Its id (UUID). */
  @IsUUID()
  id!: string;
  /** Unique per tenant, case-insensitively. */
  @IsString()
  @MaxLength(200)
  name!: string;
  /** Free text; empty when none. */
  @IsString()
  @MaxLength(1000)
  description!: string;
  /** `static` or `m365` (google-workspace and ldap later). */
  @IsIn(DIRECTORY_SERVICE_TYPES)
  type!: DirectoryServiceType;
  /**
   * The type's settings (DIRECTORY_SERVICE_KINDS), validated by its class when written; `{}` for
   * static. Never a secret: only the id of the secret used.
   */
  @IsObject()
  settings!: Record<string, unknown>;
  /** Whether a sync disables the mailboxes gone from the source (a sync request can override it). */
  @IsBoolean()
  disableMissing!: boolean;
  /** How many mailboxes belong to it. */
  @IsInt()
  @Min(0)
  memberCount!: number;
  /** The last committed sync; absent before the first one. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SyncSummaryPayload)
  lastSync?: SyncSummaryPayload;
  /** When it was created (ISO-8601 UTC). */
  @IsISO8601()
  createdAt!: string;
  /** When it was last changed (ISO-8601 UTC). */
  @IsISO8601()
  updatedAt!: string;
}

/** One page of directory services. */
export class DirectoryServicePage {
  /** The directory services of this page. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DirectoryServicePayload)
  items!: DirectoryServicePayload[];
  /** Cursor of the next page; null on the last one. */
  @IsOptional()
  @IsString()
  nextCursor!: string | null;
}

/** Request naming one directory service of a tenant. */
export class DirectoryServiceRef {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The directory service id; anything that is not one answers NOT_FOUND. */
  @IsString()
  @MaxLength(200)
  id!: string;
}

/** Reply of a delete: the id that is gone. */
export class DirectoryDeletedReply {
  /** The deleted object's id. */
  @IsUUID()
  id!: string;
}
