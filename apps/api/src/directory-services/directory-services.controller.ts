import {
  type CreateDirectoryServiceRequest,
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_DELETE_V1,
  DIRECTORY_SERVICE_GET_V1,
  DIRECTORY_SERVICE_LIST_V1,
  DIRECTORY_SERVICE_SYNC_V1,
  DIRECTORY_SERVICE_UPDATE_V1,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { ListQueryDto } from '../http/dto/list-query.dto.js';
import type { Page } from '../http/paging.js';
import { forwardBody } from '../mailboxes/forward.js';
import {
  CreateDirectoryServiceDto,
  DirectoryServiceDto,
  DirectoryServicePageDto,
  SyncDirectoryServiceDto,
  SyncResultDto,
  UpdateDirectoryServiceDto,
} from './dto/directory-service.dto.js';

/** Directory services (SPEC D3–D5), owned by the directory service: the api authorises and forwards. */
@ApiTags('directory-services')
@ApiBearerAuth()
@Controller('tenants/:tenantId/directory-services')
export class DirectoryServicesController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Access('tenant-write')
  @Audited('directory-service.create', 'directory-service')
  @ApiOperation({ summary: 'Create a directory service' })
  @ApiBody({ type: CreateDirectoryServiceDto })
  @ApiResponse({ status: 201, type: DirectoryServiceDto })
  create(@Param('tenantId') tenantId: string, @Body() body: unknown): Promise<DirectoryServiceDto> {
    const request = forwardBody(body, { tenantId: tenantId.toLowerCase() });
    return this.bus.request(DIRECTORY_SERVICE_CREATE_V1, request as unknown as CreateDirectoryServiceRequest);
  }

  @Get()
  @Access('tenant-read')
  @ApiOperation({ summary: 'List directory services' })
  @ApiResponse({ status: 200, type: DirectoryServicePageDto })
  list(
    @Param('tenantId') tenantId: string,
    @Query() query: ListQueryDto,
  ): Promise<Page<DirectoryServiceDto>> {
    return this.bus.request(DIRECTORY_SERVICE_LIST_V1, {
      tenantId: tenantId.toLowerCase(),
      ...(query.search !== undefined && { search: query.search }),
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'Read a directory service' })
  @ApiResponse({ status: 200, type: DirectoryServiceDto })
  get(@Param('tenantId') tenantId: string, @Param('id') id: string): Promise<DirectoryServiceDto> {
    return this.bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId: tenantId.toLowerCase(), id });
  }

  @Patch(':id')
  @Access('tenant-write')
  @Audited('directory-service.update', 'directory-service')
  @ApiOperation({ summary: 'Rename or re-describe a directory service (its type cannot change)' })
  @ApiBody({ type: UpdateDirectoryServiceDto })
  @ApiResponse({ status: 200, type: DirectoryServiceDto })
  update(
    @Param('tenantId') tenantId: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<DirectoryServiceDto> {
    const request = forwardBody(body, { tenantId: tenantId.toLowerCase(), id });
    return this.bus.request(DIRECTORY_SERVICE_UPDATE_V1, request);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('tenant-write')
  @Audited('directory-service.delete', 'directory-service')
  @ApiOperation({
    summary: 'Delete a directory service',
    description:
      '409 while an archiving profile or a schedule uses it; 503 when that cannot be checked. Its mailboxes stay, unassigned.',
  })
  async delete(@Param('tenantId') tenantId: string, @Param('id') id: string): Promise<void> {
    await this.bus.request(DIRECTORY_SERVICE_DELETE_V1, { tenantId: tenantId.toLowerCase(), id });
  }

  @Post(':id/sync')
  @HttpCode(200)
  @Access('tenant-write')
  @Audited('directory-service.sync', 'directory-service')
  @ApiOperation({
    summary: 'Sync a directory service, or test a sync with dryRun',
    description:
      'A static service reports its current members as unchanged. A committed sync becomes `lastSync`.',
  })
  @ApiBody({ type: SyncDirectoryServiceDto, required: false })
  @ApiResponse({ status: 200, type: SyncResultDto })
  sync(
    @Param('tenantId') tenantId: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<SyncResultDto> {
    const request = { dryRun: false, ...forwardBody(body, { tenantId: tenantId.toLowerCase(), id }) };
    return this.bus.request(DIRECTORY_SERVICE_SYNC_V1, request);
  }
}
