import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import {
  DIRECTORY_SERVICE_TYPES,
  DirectoryServicePayload,
  type DirectoryServiceType,
} from '../shared/directory-service.payload.js';
import { IsAbsentOr } from '../shared/optional.js';

export class UpdateDirectoryServiceRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The directory service. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** A new name, unique per tenant case-insensitively. */
  @IsAbsentOr()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
  /** A new description. */
  @IsAbsentOr()
  @IsString()
  @MaxLength(1000)
  description?: string;
  /** The type cannot change (RULE_VIOLATION when it differs); accepted so a whole object can be sent back. */
  @IsAbsentOr()
  @IsIn(DIRECTORY_SERVICE_TYPES)
  type?: DirectoryServiceType;
}

/** Renames or re-describes a directory service. */
export const DIRECTORY_SERVICE_UPDATE_V1 = defineRequest({
  subject: 'directory.req.directory-service.update.v1',
  request: UpdateDirectoryServiceRequest,
  reply: DirectoryServicePayload,
});
