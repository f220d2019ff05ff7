import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import {
  DIRECTORY_SERVICE_TYPES,
  DirectoryServicePayload,
  type DirectoryServiceType,
} from '../shared/directory-service.payload.js';

export class CreateDirectoryServiceRequest {
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
  /** `static` (members assigned by hand or by import). */
  @IsIn(DIRECTORY_SERVICE_TYPES)
  type!: DirectoryServiceType;
}

/** Creates a directory service; CONFLICT (`duplicate_name`) when the name is taken. */
export const DIRECTORY_SERVICE_CREATE_V1 = defineRequest({
  subject: 'directory.req.directory-service.create.v1',
  request: CreateDirectoryServiceRequest,
  reply: DirectoryServicePayload,
});
