import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * Types a directory service can have (SPEC D3). Only `static` exists today; `m365`,
 * `google-workspace` and `ldap` add their settings next to `type` in a later version.
 */
export const DIRECTORY_SERVICE_TYPES = ['static'] as const;
export type DirectoryServiceType = (typeof DIRECTORY_SERVICE_TYPES)[number];

/** What a sync did, or would do on a dry run (SPEC D4). The same shape for every type. */
export class SyncResultPayload {
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
  /** `static`, later `m365`, `google-workspace`, `ldap`. */
  @IsIn(DIRECTORY_SERVICE_TYPES)
  type!: DirectoryServiceType;
  /** How many mailboxes belong to it. */
  @IsInt()
  @Min(0)
  memberCount!: number;
  /** The last committed sync; absent before the first one. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SyncResultPayload)
  lastSync?: SyncResultPayload;
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
