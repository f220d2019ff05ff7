import {
  DIRECTORY_REFERENCES_FIND_V1,
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_DELETE_V1,
  DIRECTORY_SERVICE_DESCRIBE_V1,
  DIRECTORY_SERVICE_GET_V1,
  DIRECTORY_SERVICE_LIST_V1,
  DIRECTORY_SERVICE_SYNC_V1,
  DIRECTORY_SERVICE_TEST_CONNECTION_V1,
  DIRECTORY_SERVICE_UPDATE_V1,
  type DirectoryListRequest,
  type DirectoryServiceCreateRequest,
  type DirectoryServiceDescription,
  type DirectoryServicePage,
  type DirectoryServicePayload,
  type DirectoryServiceRef,
  type DirectoryServiceSyncRequest,
  type DirectoryServiceUpdateRequest,
  type ReferencesFindReply,
  type ReferencesFindRequest,
  type SyncResultPayload,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { DirectorySyncService } from '../sync/directory-sync.service.js';
import { DirectoryServicesService } from './directory-services.service.js';

/** NATS endpoints of directory services; validated payloads in, the service's answers out. */
@Controller()
export class DirectoryServicesHandler {
  constructor(
    private readonly services: DirectoryServicesService,
    private readonly syncs: DirectorySyncService,
  ) {}

  @HandleRequest(DIRECTORY_SERVICE_CREATE_V1)
  create(request: DirectoryServiceCreateRequest): Promise<DirectoryServicePayload> {
    return this.services.create(request);
  }

  @HandleRequest(DIRECTORY_SERVICE_GET_V1)
  get({ tenantId, id }: DirectoryServiceRef): Promise<DirectoryServicePayload> {
    return this.services.get(tenantId, id);
  }

  @HandleRequest(DIRECTORY_SERVICE_DESCRIBE_V1)
  describe({ tenantId, id }: DirectoryServiceRef): Promise<DirectoryServiceDescription> {
    return this.services.describe(tenantId, id);
  }

  @HandleRequest(DIRECTORY_SERVICE_LIST_V1)
  list(request: DirectoryListRequest): Promise<DirectoryServicePage> {
    return this.services.list(request);
  }

  @HandleRequest(DIRECTORY_SERVICE_UPDATE_V1)
  update(request: DirectoryServiceUpdateRequest): Promise<DirectoryServicePayload> {
    return this.services.update(request);
  }

  @HandleRequest(DIRECTORY_SERVICE_DELETE_V1)
  delete({ tenantId, id }: DirectoryServiceRef): Promise<{ id: string }> {
    return this.services.delete(tenantId, id);
  }

  @HandleRequest(DIRECTORY_SERVICE_SYNC_V1)
  sync(request: DirectoryServiceSyncRequest): Promise<SyncResultPayload> {
    return this.syncs.sync(request);
  }

  @HandleRequest(DIRECTORY_SERVICE_TEST_CONNECTION_V1)
  testConnection({ tenantId, id }: DirectoryServiceRef): Promise<TestConnectionResult> {
    return this.syncs.testConnection(tenantId, id);
  }

  @HandleRequest(DIRECTORY_REFERENCES_FIND_V1)
  async findReferences({ tenantId, kind, id }: ReferencesFindRequest): Promise<ReferencesFindReply> {
    return { references: await this.services.findReferences(tenantId, kind, id) };
  }
}
