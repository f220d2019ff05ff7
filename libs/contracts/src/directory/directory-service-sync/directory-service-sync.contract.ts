import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SyncResultPayload } from '../shared/directory-service.payload.js';

export class DirectoryServiceSyncRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The directory service. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** True: report what would change, change nothing. */
  @IsBoolean()
  dryRun!: boolean;
  /** Overrides the service's disableMissing setting for this sync only. */
  @IsOptional()
  @IsBoolean()
  disableMissing?: boolean;
}

/**
 * Syncs a directory service from its source (SPEC D4): creates and updates its mailboxes, and
 * disables those gone from the source when disableMissing; never deletes. A static service's
 * source is its own membership, so it reports every member unchanged. An entry that cannot be
 * applied is listed in `errors`, the others still apply; a committed sync's counts are kept as
 * `lastSync`. A source that cannot be read is AUTH_FAILED, UNAVAILABLE or RULE_VIOLATION.
 */
export const DIRECTORY_SERVICE_SYNC_V1 = defineRequest({
  subject: 'directory.req.directory-service.sync.v1',
  request: DirectoryServiceSyncRequest,
  reply: SyncResultPayload,
});
