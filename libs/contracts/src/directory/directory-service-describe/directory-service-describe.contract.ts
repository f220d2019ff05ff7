import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { DirectoryServiceRef } from '../shared/directory-service.payload.js';
import { DIRECTORY_SERVICE_TYPES, type DirectoryServiceType } from '../shared/directory-service-settings.js';

export class DirectoryServiceDescription {
  /** Its id. */
  @IsUUID()
  id!: string;
  /** Its name. */
  @IsString()
  @MaxLength(200)
  name!: string;
  /** Its type. */
  @IsIn(DIRECTORY_SERVICE_TYPES)
  type!: DirectoryServiceType;
}

/** What other services (profiles) need to know about a directory service; NOT_FOUND if none. */
export const DIRECTORY_SERVICE_DESCRIBE_V1 = defineRequest({
  subject: 'directory.req.directory-service.describe.v1',
  request: DirectoryServiceRef,
  reply: DirectoryServiceDescription,
});
