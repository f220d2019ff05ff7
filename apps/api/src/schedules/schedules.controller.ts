import {
  ContractError,
  type Run,
  type Schedule,
  SCHEDULE_CREATE_V1,
  SCHEDULE_DELETE_V1,
  SCHEDULE_GET_V1,
  SCHEDULE_LIST_V1,
  SCHEDULE_NEXT_RUNS_V1,
  SCHEDULE_RUN_NOW_V1,
  SCHEDULE_UPDATE_V1,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { pageSize } from '../http/paging.js';
import {
  NextRunsDto,
  NextRunsQueryDto,
  RunDto,
  ScheduleDto,
  ScheduleInputDto,
  ScheduleListQueryDto,
  SchedulePageDto,
} from './dto/schedule.dto.js';

/** Fire times listed when `count` is absent. */
const DEFAULT_NEXT_RUNS = 10;

@ApiTags('schedules')
@ApiBearerAuth()
@Controller('tenants/:tenantId/schedules')
export class SchedulesController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Access('tenant-write')
  @Audited('schedule.create', 'schedule')
  @ApiOperation({ summary: 'Create a schedule (SC1)' })
  @ApiBody({ type: ScheduleInputDto })
  @ApiResponse({ status: 201, type: ScheduleDto })
  create(@TenantId() tenantId: string, @Body() body: unknown): Promise<Schedule> {
    return this.bus.request(SCHEDULE_CREATE_V1, {
      tenantId,
      schedule: asObject(body),
    });
  }

  @Get()
  @Access('tenant-read')
  @ApiOperation({ summary: 'List schedules; search matches a name part or the whole id' })
  @ApiResponse({ status: 200, type: SchedulePageDto })
  async list(@TenantId() tenantId: string, @Query() query: ScheduleListQueryDto) {
    const page = await this.bus.request(SCHEDULE_LIST_V1, {
      tenantId,
      limit: pageSize(query.limit),
      ...(query.search !== undefined && { search: query.search }),
      ...(query.profileId !== undefined && { profileId: query.profileId }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'Read a schedule' })
  @ApiResponse({ status: 200, type: ScheduleDto })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<Schedule> {
    return this.bus.request(SCHEDULE_GET_V1, { tenantId, id: id.slice(0, 200) });
  }

  @Patch(':id')
  @Access('tenant-write')
  @Audited('schedule.update', 'schedule')
  @ApiOperation({
    summary: 'Change a schedule',
    description: 'Validated like a create. Disabling does not stop a run in progress (SC3).',
  })
  @ApiBody({ type: ScheduleInputDto })
  @ApiResponse({ status: 200, type: ScheduleDto })
  update(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown): Promise<Schedule> {
    return this.bus.request(SCHEDULE_UPDATE_V1, {
      tenantId,
      id: id.slice(0, 200),
      changes: asObject(body),
    });
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('tenant-write')
  @Audited('schedule.delete', 'schedule')
  @ApiOperation({ summary: 'Delete a schedule', description: 'A run it started goes on.' })
  async delete(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.bus.request(SCHEDULE_DELETE_V1, { tenantId, id: id.slice(0, 200) });
  }

  @Get(':id/next-runs')
  @Access('tenant-read')
  @ApiOperation({ summary: 'The next fire times of a schedule (SC1), enabled or not' })
  @ApiResponse({ status: 200, type: NextRunsDto })
  nextRuns(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: NextRunsQueryDto,
  ): Promise<{ items: string[] }> {
    return this.bus.request(SCHEDULE_NEXT_RUNS_V1, {
      tenantId,
      id: id.slice(0, 200),
      count: query.count ?? DEFAULT_NEXT_RUNS,
      ...(query.from !== undefined && { from: query.from }),
    });
  }

  @Post(':id/run')
  @Access('tenant-write')
  @Audited('schedule.run', 'schedule')
  @ApiOperation({
    summary: 'Run now (SC3)',
    description:
      'Queues a manual run of the schedule’s profile; 409 names the run of that profile still active.',
  })
  @ApiResponse({ status: 201, type: RunDto })
  runNow(@TenantId() tenantId: string, @Param('id') id: string): Promise<Run> {
    return this.bus.request(SCHEDULE_RUN_NOW_V1, { tenantId, id: id.slice(0, 200) });
  }
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ContractError.validation([{ field: '', message: 'the body must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}
