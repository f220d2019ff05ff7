import {
  type ArchivingProfile,
  PROFILE_CREATE_V1,
  PROFILE_DELETE_V1,
  PROFILE_GET_V1,
  PROFILE_LIST_V1,
  PROFILE_TEST_CONNECTION_V1,
  PROFILE_UPDATE_V1,
  type ProfileCreateRequest,
  type ProfileDeleted,
  type ProfileListRequest,
  type ProfilePage,
  type ProfileRef,
  PROFILES_REFERENCES_FIND_V1,
  type ProfileTestConnectionRequest,
  type ProfileUpdateRequest,
  type ReferencesFindReply,
  type ReferencesFindRequest,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { ProfilesService } from './profiles.service.js';

/** The profiles service on the bus: one method per request contract. */
@Controller()
export class ProfilesHandler {
  constructor(private readonly profiles: ProfilesService) {}

  @HandleRequest(PROFILE_CREATE_V1)
  create(request: ProfileCreateRequest): Promise<ArchivingProfile> {
    return this.profiles.create(request.tenantId, request.profile);
  }

  @HandleRequest(PROFILE_GET_V1)
  get(request: ProfileRef): Promise<ArchivingProfile> {
    return this.profiles.get(request.tenantId, request.id);
  }

  @HandleRequest(PROFILE_LIST_V1)
  list(request: ProfileListRequest): Promise<ProfilePage> {
    return this.profiles.list(request.tenantId, request);
  }

  @HandleRequest(PROFILE_UPDATE_V1)
  update(request: ProfileUpdateRequest): Promise<ArchivingProfile> {
    return this.profiles.update(request.tenantId, request.id, request.changes, request.expectedVersion);
  }

  @HandleRequest(PROFILE_DELETE_V1)
  delete(request: ProfileRef): Promise<ProfileDeleted> {
    return this.profiles.delete(request.tenantId, request.id);
  }

  @HandleRequest(PROFILE_TEST_CONNECTION_V1)
  testConnection(request: ProfileTestConnectionRequest): Promise<TestConnectionResult> {
    return this.profiles.testConnection(request.tenantId, {
      ...(request.profileId !== undefined && { profileId: request.profileId }),
      ...(request.draft !== undefined && { draft: request.draft }),
      ...(request.mailboxId !== undefined && { mailboxId: request.mailboxId }),
    });
  }

  @HandleRequest(PROFILES_REFERENCES_FIND_V1)
  async references(request: ReferencesFindRequest): Promise<ReferencesFindReply> {
    return { references: await this.profiles.referencing(request.tenantId, request.kind, request.id) };
  }
}
