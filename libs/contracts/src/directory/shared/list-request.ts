import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** Largest list page; the same bound as the api's list queries, so one query stays small. */
export const DIRECTORY_MAX_LIST_PAGE_SIZE = 200;

/** `search`, `limit`, `cursor` of a list (SPEC §5) for one tenant. */
export class DirectoryListRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** Includes-match on names (and addresses), or the whole id; `%` and `_` are literal. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
  /** Page size, 1–200 (50 when absent). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DIRECTORY_MAX_LIST_PAGE_SIZE)
  limit?: number;
  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
