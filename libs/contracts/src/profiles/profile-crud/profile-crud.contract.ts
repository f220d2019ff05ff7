import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { TestConnectionResult } from '../../connector/test-connection/test-connection.contract.js';
import { defineRequest } from '../../core/contract.js';
import { TenantListRequest } from '../../core/list-request.js';
import { ArchivingProfile } from '../profile/archiving-profile.js';

export class ProfileCreateRequest {
  /** The tenant the profile belongs to. */
  @IsUUID()
  tenantId!: string;
  /** The profile as the client wrote it; the profiles service validates it against the property table. */
  @IsObject()
  profile!: Record<string, unknown>;
}

export class ProfileRef {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The profile id as given by the caller (not necessarily a UUID: unknown ids are NOT_FOUND). */
  @IsString()
  @MaxLength(200)
  id!: string;
}

/** A page of the tenant's archiving profiles (search per P1). */
export class ProfileListRequest extends TenantListRequest {}

export class ProfilePage {
  /** The profiles of this page. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ArchivingProfile)
  items!: ArchivingProfile[];
  /** Cursor of the next page; absent on the last page. */
  @IsOptional()
  @IsString()
  nextCursor?: string;
}

export class ProfileUpdateRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The profile id. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** Properties to change; `null` removes an optional one. Validated like a create. */
  @IsObject()
  changes!: Record<string, unknown>;
  /** The version the caller last saw (If-Match); a different current version is PRECONDITION_FAILED. */
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ProfileDeleted {
  /** The deleted profile's id. */
  @IsUUID()
  id!: string;
}

export class ProfileTestConnectionRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** A saved profile to test… */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  profileId?: string;
  /** …or an unsaved draft (validated like a create). */
  @IsOptional()
  @IsObject()
  draft?: Record<string, unknown>;
  /** The mailbox to test; required in multiple mode (one of the directory service's). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  mailboxId?: string;
}

export const PROFILE_CREATE_V1 = defineRequest({
  subject: 'profiles.req.profile.create.v1',
  request: ProfileCreateRequest,
  reply: ArchivingProfile,
});
export const PROFILE_GET_V1 = defineRequest({
  subject: 'profiles.req.profile.get.v1',
  request: ProfileRef,
  reply: ArchivingProfile,
});
export const PROFILE_LIST_V1 = defineRequest({
  subject: 'profiles.req.profile.list.v1',
  request: ProfileListRequest,
  reply: ProfilePage,
});
export const PROFILE_UPDATE_V1 = defineRequest({
  subject: 'profiles.req.profile.update.v1',
  request: ProfileUpdateRequest,
  reply: ArchivingProfile,
});
export const PROFILE_DELETE_V1 = defineRequest({
  subject: 'profiles.req.profile.delete.v1',
  request: ProfileRef,
  reply: ProfileDeleted,
});
export const PROFILE_TEST_CONNECTION_V1 = defineRequest({
  subject: 'profiles.req.profile.test-connection.v1',
  request: ProfileTestConnectionRequest,
  reply: TestConnectionResult,
});
