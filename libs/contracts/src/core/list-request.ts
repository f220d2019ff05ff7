import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** Largest list page; the same bound as the api's list queries, so one query stays small. */
export const MAX_LIST_PAGE_SIZE = 200;

/**
 * `limit` and `cursor` of a keyset-paged list of one tenant's things (SPEC §5). Every paged
 * request on the bus extends it; the owning service applies the default page size when `limit` is
 * absent.
 */
export class TenantPageRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** Page size, 1–200 (50 when absent). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIST_PAGE_SIZE)
  limit?: number;
  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** A page of one tenant's named objects with the P1 `search` (SPEC §5 lists). */
export class TenantListRequest extends TenantPageRequest {
  /** P1: the name (or address) includes it, or the id equals it, case-insensitive; `%` and `_` literal. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}
