import {
  type ArchivingProfile,
  ContractError,
  PROFILE_CREATE_V1,
  PROFILE_DELETE_V1,
  PROFILE_GET_V1,
  PROFILE_LIST_V1,
  PROFILE_TEST_CONNECTION_V1,
  PROFILE_UPDATE_V1,
  type Schedule,
  SCHEDULE_CREATE_V1,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { ListQueryDto } from '../http/dto/list-query.dto.js';
import { pageSize } from '../http/paging.js';
import {
  ArchivingProfilePageDto,
  TestConnectionResultDto,
  TestSavedProfileDto,
} from './dto/archiving-profile.dto.js';
import { ProfileScheduleInputDto, ScheduleDto } from '../schedules/dto/schedule.dto.js';
import { profileSchemaRef } from './dto/profile-schemas.js';
import { etagOf, expectedVersion } from './if-match.js';

/**
 * A connection test waits for the connector, which waits up to twice the profile's timeout
 * (600 s at most) plus a margin; the edge waits a little longer so the connector's own verdict wins.
 */
const TEST_CONNECTION_WAIT_MS = (600 * 2 + 30) * 1000;

@ApiTags('archiving-profiles')
@ApiBearerAuth()
@Controller('tenants/:tenantId/archiving-profiles')
export class ArchivingProfilesController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Access('tenant-write')
  @Audited('archiving-profile.create', 'archiving-profile')
  @ApiOperation({
    summary: 'Create an archiving profile',
    description:
      'Properties depend on type and mode (SPEC §3.1); an unused one is a field error. The type cannot be changed later.',
  })
  @ApiBody({ schema: profileSchemaRef('create') })
  @ApiResponse({ status: 201, schema: profileSchemaRef('view') })
  async create(
    @TenantId() tenantId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ArchivingProfile> {
    const profile = await this.bus.request(PROFILE_CREATE_V1, {
      tenantId,
      profile: asObject(body),
    });
    response.setHeader('ETag', etagOf(profile.version));
    return profile;
  }

  @Get()
  @Access('tenant-read')
  @ApiOperation({ summary: 'List archiving profiles; search matches a name part or the whole id (P1)' })
  @ApiResponse({ status: 200, type: ArchivingProfilePageDto })
  async list(@TenantId() tenantId: string, @Query() query: ListQueryDto) {
    const page = await this.bus.request(PROFILE_LIST_V1, {
      tenantId,
      limit: pageSize(query.limit),
      ...(query.search !== undefined && { search: query.search }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  @Post('test-connection')
  @HttpCode(200)
  @Access('tenant-write')
  @Audited('archiving-profile.test-connection', 'archiving-profile')
  @ApiOperation({
    summary: 'Test an unsaved profile (draft)',
    description:
      'Authenticates and lists folders; never changes the source. Multiple mode needs `mailboxId` (query).',
  })
  @ApiBody({ schema: profileSchemaRef('create') })
  @ApiResponse({ status: 200, type: TestConnectionResultDto })
  testDraft(
    @TenantId() tenantId: string,
    @Body() body: unknown,
    @Query() query: TestSavedProfileDto,
  ): Promise<TestConnectionResult> {
    return this.bus.request(
      PROFILE_TEST_CONNECTION_V1,
      {
        tenantId,
        draft: asObject(body),
        ...(query.mailboxId !== undefined && { mailboxId: query.mailboxId }),
      },
      { timeoutMs: TEST_CONNECTION_WAIT_MS },
    );
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'Read an archiving profile' })
  @ApiResponse({ status: 200, schema: profileSchemaRef('view') })
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ArchivingProfile> {
    const profile = await this.bus.request(PROFILE_GET_V1, {
      tenantId,
      id: id.slice(0, 200),
    });
    response.setHeader('ETag', etagOf(profile.version));
    return profile;
  }

  @Patch(':id')
  @Access('tenant-write')
  @Audited('archiving-profile.update', 'archiving-profile')
  @ApiOperation({
    summary: 'Change an archiving profile',
    description:
      'Validated like a create. The type cannot change (422). With If-Match, a stale version answers 412.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag of the version you edited, e.g. "3".',
  })
  @ApiBody({ schema: profileSchemaRef('update') })
  @ApiResponse({ status: 200, schema: profileSchemaRef('view') })
  async update(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ArchivingProfile> {
    const version = expectedVersion(ifMatch);
    const profile = await this.bus.request(PROFILE_UPDATE_V1, {
      tenantId,
      id: id.slice(0, 200),
      changes: asObject(body),
      ...(version !== undefined && { expectedVersion: version }),
    });
    response.setHeader('ETag', etagOf(profile.version));
    return profile;
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('tenant-write')
  @Audited('archiving-profile.delete', 'archiving-profile')
  @ApiOperation({
    summary: 'Delete an archiving profile',
    description: 'Only while no schedule uses it (409 names them). Archived mail is never deleted.',
  })
  async delete(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.bus.request(PROFILE_DELETE_V1, { tenantId, id: id.slice(0, 200) });
  }

  @Post(':id/test-connection')
  @HttpCode(200)
  @Access('tenant-write')
  @Audited('archiving-profile.test-connection', 'archiving-profile')
  @ApiOperation({
    summary: 'Test a saved profile',
    description:
      'Single mode tests the profile’s mailbox; multiple mode needs `mailboxId` of the directory service (400 without).',
  })
  @ApiResponse({ status: 200, type: TestConnectionResultDto })
  testSaved(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Body() body: TestSavedProfileDto,
  ): Promise<TestConnectionResult> {
    return this.bus.request(
      PROFILE_TEST_CONNECTION_V1,
      {
        tenantId,
        profileId: id.slice(0, 200),
        // `null` is "no mailbox", as absent (it reached the profiles service as a null id: a 500).
        ...(typeof body.mailboxId === 'string' && { mailboxId: body.mailboxId }),
      },
      { timeoutMs: TEST_CONNECTION_WAIT_MS },
    );
  }
}

@ApiTags('archiving-profiles')
@ApiBearerAuth()
@Controller('tenants/:tenantId/archiving-profiles/:id/schedules')
export class ArchivingProfileSchedulesController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Access('tenant-write')
  @Audited('schedule.create', 'schedule')
  @ApiOperation({
    summary: 'Create a schedule that runs this profile (P6)',
    description:
      'The body is a schedule without `target`; the profile becomes its target. 503 while no scheduler runs.',
  })
  // Documented so clients and the suites generated from the document (hostile input, the
  // security sweep) send a body here; the handler still checks it as `unknown`, like any create.
  @ApiBody({ type: ProfileScheduleInputDto })
  @ApiResponse({ status: 201, type: ScheduleDto })
  async create(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<Schedule> {
    const schedule = asObject(body);
    if ('target' in schedule) {
      throw ContractError.validation([
        { field: 'target', message: 'the target is this profile; leave target out' },
      ]);
    }
    const profile = await this.bus.request(PROFILE_GET_V1, { tenantId, id: id.slice(0, 200) });
    return this.bus.request(SCHEDULE_CREATE_V1, {
      tenantId,
      schedule: { ...schedule, target: { kind: 'archiving-profile', profileId: profile.id } },
    });
  }
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ContractError.validation([{ field: '', message: 'the body must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}
