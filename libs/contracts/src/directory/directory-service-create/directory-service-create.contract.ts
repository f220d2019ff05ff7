import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { DirectoryServicePayload } from '../shared/directory-service.payload.js';
import { DIRECTORY_SERVICE_TYPES, type DirectoryServiceType } from '../shared/directory-service-settings.js';

export class DirectoryServiceCreateRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** Unique per tenant, case-insensitively; trimmed; 1–200 characters. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
  /** Free text. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
  /** `static` (members assigned by hand or by import) or `m365` (synced from Entra ID). */
  @IsIn(DIRECTORY_SERVICE_TYPES)
  type!: DirectoryServiceType;
  /** Whether a sync disables the mailboxes gone from the source; default false. */
  @IsOptional()
  @IsBoolean()
  disableMissing?: boolean;
  /**
   * The type-specific fields as the client wrote them (the HTTP body's other fields); the
   * directory service validates them with the type's settings class. Absent is `{}`.
   */
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

/** Creates a directory service; CONFLICT (`duplicate_name`) when the name is taken. */
export const DIRECTORY_SERVICE_CREATE_V1 = defineRequest({
  subject: 'directory.req.directory-service.create.v1',
  request: DirectoryServiceCreateRequest,
  reply: DirectoryServicePayload,
});
