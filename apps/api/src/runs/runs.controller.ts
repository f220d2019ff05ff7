import {
  type Run,
  RUN_CANCEL_V1,
  RUN_GET_V1,
  RUN_LIST_V1,
  RUN_LOG_V1,
  RUN_TASKS_V1,
  type RunLogEntry,
  type RunTask,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { type Page, pageSize } from '../http/paging.js';
import { RunDto } from '../schedules/dto/schedule.dto.js';
import { API_LOGGER } from '../tokens.js';
import {
  RunFinishedEventDto,
  RunListQueryDto,
  RunLogEntryDto,
  RunLogPageDto,
  RunLogQueryDto,
  RunPageDto,
  RunProgressEventDto,
  RunTasksQueryDto,
  TaskPageDto,
} from './dto/run.dto.js';
import { HEARTBEAT_INTERVAL_MS, RunEventStream } from './run-event-stream.js';
import { RunEventsHub } from './run-events.hub.js';
import { parseLastEventId } from './sse.js';

/** Run ids are UUIDs; anything longer is cut before it travels (the scheduler answers NOT_FOUND). */
const MAX_ID_LENGTH = 200;

const EVENTS_DESCRIPTION = [
  'Live progress of one run as `text/event-stream` (SPEC SC4). Events, each with JSON `data`:',
  '',
  `- \`run\`: the run as \`GET …/runs/{id}\` returns it (schema \`${RunDto.name}\`), first;`,
  `- \`log\`: one log entry (schema \`${RunLogEntryDto.name}\`), the log so far oldest first, then live; its \`id:\` is the entry id;`,
  `- \`progress\`: status and counters of a running run (schema \`${RunProgressEventDto.name}\`);`,
  `- \`finished\`: the run ended (schema \`${RunFinishedEventDto.name}\`); the stream ends after it.`,
  '',
  'A run that has already finished gets `run`, its log and `finished` at once. A reconnecting client sends',
  '`Last-Event-ID` and gets only the log entries after it. A comment line every',
  `${HEARTBEAT_INTERVAL_MS / 1000} s keeps idle connections open. Close the EventSource on \`finished\`:`,
  'EventSource reconnects by itself when a stream ends. An unknown run (or another tenant’s) is a 404',
  'problem+json before the stream opens.',
].join('\n');

/** The runs of a tenant (SPEC §5, SC3–SC4), forwarded to the scheduler; live progress as SSE. */
@ApiTags('runs')
@ApiBearerAuth()
@ApiExtraModels(RunLogEntryDto, RunProgressEventDto, RunFinishedEventDto)
@Controller('tenants/:tenantId/runs')
export class RunsController {
  constructor(
    private readonly bus: MessageBus,
    private readonly hub: RunEventsHub,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @Access('tenant-read')
  @ApiOperation({ summary: 'List runs, newest first (SC4)', description: 'Lists show runs without tasks.' })
  @ApiResponse({ status: 200, type: RunPageDto })
  async list(@TenantId() tenantId: string, @Query() query: RunListQueryDto): Promise<Page<Run>> {
    const page = await this.bus.request(RUN_LIST_V1, {
      tenantId,
      limit: pageSize(query.limit),
      ...(query.profileId !== undefined && { profileId: query.profileId }),
      ...(query.status !== undefined && { status: query.status }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Read a run (SC4)',
    description:
      'With its first 500 tasks, failed and running ones first; all of them page by page at `…/tasks`.',
  })
  @ApiResponse({ status: 200, type: RunDto })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<Run> {
    return this.bus.request(RUN_GET_V1, refOf(tenantId, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access('tenant-write')
  @Audited('run.cancel', 'run')
  @ApiOperation({
    summary: 'Cancel a run (SC3)',
    description:
      'Tasks not yet queued stop at once, queued and running ones at their next message; the run ends ' +
      '`cancelled` when every task has ended, so the run returned may still be `running`. Cancelling ' +
      'twice is not an error; a run that has already finished is a 409.',
  })
  @ApiResponse({ status: 200, type: RunDto })
  cancel(@TenantId() tenantId: string, @Param('id') id: string): Promise<Run> {
    return this.bus.request(RUN_CANCEL_V1, refOf(tenantId, id));
  }

  @Get(':id/tasks')
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Page through the tasks of a run',
    description:
      'Beyond SPEC §5: a run has one task per mailbox, up to 100,000, more than one reply can carry. ' +
      'Ordered by task id; `status` filters.',
  })
  @ApiResponse({ status: 200, type: TaskPageDto })
  async tasks(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: RunTasksQueryDto,
  ): Promise<Page<RunTask>> {
    const page = await this.bus.request(RUN_TASKS_V1, {
      ...refOf(tenantId, id),
      limit: pageSize(query.limit),
      ...(query.status !== undefined && { status: query.status }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  @Get(':id/log')
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Page through the log of a run, oldest first',
    description:
      'Beyond SPEC §5: the log of a large run does not fit one reply. Entry ids increase: they are the ' +
      'order of the log and the `id:` of the `log` events of `…/events`.',
  })
  @ApiResponse({ status: 200, type: RunLogPageDto })
  async log(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: RunLogQueryDto,
  ): Promise<Page<RunLogEntry>> {
    const page = await this.bus.request(RUN_LOG_V1, {
      ...refOf(tenantId, id),
      limit: pageSize(query.limit),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  @Get(':id/events')
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Live progress of a run, as server-sent events (SC4)',
    description: EVENTS_DESCRIPTION,
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last `log` event received; only later entries are sent.',
  })
  @ApiResponse({ status: 200, description: 'The event stream.', content: { 'text/event-stream': {} } })
  @ApiResponse({ status: 404, description: 'No such run in this tenant.' })
  async events(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const after = parseLastEventId(lastEventId);
    const stream = new RunEventStream(
      { bus: this.bus, hub: this.hub, logger: this.logger },
      refOf(tenantId, id),
      after,
      response,
    );
    await stream.start();
  }
}

function refOf(tenantId: string, id: string): { tenantId: string; id: string } {
  return { tenantId, id: id.slice(0, MAX_ID_LENGTH) };
}
