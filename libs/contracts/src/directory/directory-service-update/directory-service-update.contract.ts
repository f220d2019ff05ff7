import { IsBoolean, IsIn, IsNotEmpty, IsObject, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { DirectoryServicePayload } from '../shared/directory-service.payload.js';
import { DIRECTORY_SERVICE_TYPES, type DirectoryServiceType } from '../shared/directory-service-settings.js';
import { IsAbsentOr } from '../../core/optional.js';

export class DirectoryServiceUpdateRequest {
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
  /** A new disableMissing setting. */
  @IsAbsentOr()
  @IsBoolean()
  disableMissing?: boolean;
  /**
   * Type-specific fields to change (the HTTP body's other fields); `null` removes an optional
   * one. The result is validated whole with the type's settings class.
   */
  @IsAbsentOr()
  @IsObject()
  settings?: Record<string, unknown>;
}

/** Renames, re-describes or re-configures a directory service (its type cannot change). */
export const DIRECTORY_SERVICE_UPDATE_V1 = defineRequest({
  subject: 'directory.req.directory-service.update.v1',
  request: DirectoryServiceUpdateRequest,
  reply: DirectoryServicePayload,
});
