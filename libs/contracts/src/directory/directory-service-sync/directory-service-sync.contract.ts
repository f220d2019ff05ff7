import { IsBoolean, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { SyncResultPayload } from '../shared/directory-service.payload.js';

export class SyncDirectoryServiceRequest {
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
}

/**
 * Syncs a directory service from its source (SPEC D4). A static service's source is its own
 * membership, so it reports every member unchanged; a committed sync is kept as `lastSync`.
 */
export const DIRECTORY_SERVICE_SYNC_V1 = defineRequest({
  subject: 'directory.req.directory-service.sync.v1',
  request: SyncDirectoryServiceRequest,
  reply: SyncResultPayload,
});
