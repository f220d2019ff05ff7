import {
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_DELETE_V1,
  DIRECTORY_SERVICE_GET_V1,
  DIRECTORY_SERVICE_LIST_V1,
  DIRECTORY_SERVICE_SYNC_V1,
  DIRECTORY_SERVICE_TEST_CONNECTION_V1,
  DIRECTORY_SERVICE_UPDATE_V1,
  type DirectoryServiceCreateRequest,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { ListQueryDto } from '../http/dto/list-query.dto.js';
import type { Page } from '../http/paging.js';
import { forwardBody } from '../mailboxes/forward.js';
import { TestConnectionResultDto } from '../archiving-profiles/dto/archiving-profile.dto.js';
import { flatView, splitSettings } from './directory-service-body.js';
import {
  DIRECTORY_SERVICE_CREATE_BODIES,
  DIRECTORY_SERVICE_VIEWS,
  type DirectoryServiceDto,
  DirectoryServicePageDto,
  SyncDirectoryServiceDto,
  SyncResultDto,
  UpdateDirectoryServiceDto,
} from './dto/directory-service.dto.js';

/**
 * How long the api waits for a sync or a connection test: the directory service reads every page
 * of the source (Graph answers up to 999 users a page, each page well under a second, throttling
 * waits included), so a few minutes cover tenants of tens of thousands of users.
 */
const SOURCE_REQUEST_TIMEOUT_MS = 5 * 60_000;

const VIEW_SCHEMA = { oneOf: DIRECTORY_SERVICE_VIEWS.map((dto) => ({ $ref: getSchemaPath(dto) })) };

/** Directory services (SPEC D3–D5), owned by the directory service: the api authorises and forwards. */
@ApiTags('directory-services')
@ApiBearerAuth()
@ApiExtraModels(...DIRECTORY_SERVICE_CREATE_BODIES, ...DIRECTORY_SERVICE_VIEWS)
@Controller('tenants/:tenantId/directory-services')
export class DirectoryServicesController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Access('tenant-write')
  @Audited('directory-service.create', 'directory-service')
  @ApiOperation({ summary: 'Create a directory service' })
  @ApiBody({
    schema: { oneOf: DIRECTORY_SERVICE_CREATE_BODIES.map((dto) => ({ $ref: getSchemaPath(dto) })) },
  })
  @ApiResponse({ status: 201, schema: VIEW_SCHEMA })
  async create(@TenantId() tenantId: string, @Body() body: unknown): Promise<DirectoryServiceDto> {
    const request = splitSettings(forwardBody(body, { tenantId }));
    return flatView(
      await this.bus.request(
        DIRECTORY_SERVICE_CREATE_V1,
        request as unknown as DirectoryServiceCreateRequest,
      ),
    );
  }

  @Get()
  @Access('tenant-read')
  @ApiOperation({ summary: 'List directory services' })
  @ApiResponse({ status: 200, type: DirectoryServicePageDto })
  async list(@TenantId() tenantId: string, @Query() query: ListQueryDto): Promise<Page<DirectoryServiceDto>> {
    const page = await this.bus.request(DIRECTORY_SERVICE_LIST_V1, {
      tenantId,
      ...(query.search !== undefined && { search: query.search }),
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
    return { items: page.items.map(flatView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'Read a directory service' })
  @ApiResponse({ status: 200, schema: VIEW_SCHEMA })
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<DirectoryServiceDto> {
    return flatView(await this.bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId, id }));
  }

  @Patch(':id')
  @Access('tenant-write')
  @Audited('directory-service.update', 'directory-service')
  @ApiOperation({
    summary: 'Change a directory service: name, description, settings (its type cannot change)',
  })
  @ApiBody({ type: UpdateDirectoryServiceDto })
  @ApiResponse({ status: 200, schema: VIEW_SCHEMA })
  async update(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<DirectoryServiceDto> {
    const request = splitSettings(forwardBody(body, { tenantId, id }));
    return flatView(await this.bus.request(DIRECTORY_SERVICE_UPDATE_V1, request as never));
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
  async delete(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.bus.request(DIRECTORY_SERVICE_DELETE_V1, { tenantId, id });
  }

  @Post(':id/sync')
  @HttpCode(200)
  @Access('tenant-write')
  @Audited('directory-service.sync', 'directory-service')
  @ApiOperation({
    summary: 'Sync a directory service, or test a sync with dryRun',
    description:
      'Creates and updates the mailboxes of the source, and with disableMissing disables those gone from it; ' +
      'never deletes. Entries that cannot apply are listed in `errors`. A static service reports its members ' +
      'as unchanged. The counts of a committed sync become `lastSync`. A source that rejects the credentials ' +
      'or the settings is 422 with its message; one that cannot be reached is 503.',
  })
  @ApiBody({ type: SyncDirectoryServiceDto, required: false })
  @ApiResponse({ status: 200, type: SyncResultDto })
  sync(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown): Promise<SyncResultDto> {
    const request = { dryRun: false, ...forwardBody(body, { tenantId, id }) };
    return this.bus.request(DIRECTORY_SERVICE_SYNC_V1, request, { timeoutMs: SOURCE_REQUEST_TIMEOUT_MS });
  }

  @Post(':id/test-connection')
  @HttpCode(200)
  @Access('tenant-write')
  @Audited('directory-service.test-connection', 'directory-service')
  @ApiOperation({
    summary: "Test a directory service's source with its saved settings",
    description:
      'Token, one page of users, the group: each a step. A failure is `success: false` with a category.',
  })
  @ApiOkResponse({ type: TestConnectionResultDto })
  testConnection(@TenantId() tenantId: string, @Param('id') id: string): Promise<TestConnectionResult> {
    return this.bus.request(
      DIRECTORY_SERVICE_TEST_CONNECTION_V1,
      { tenantId, id },
      { timeoutMs: SOURCE_REQUEST_TIMEOUT_MS },
    );
  }
}
