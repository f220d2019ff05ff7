import {
  RUN_LOG_SEVERITIES,
  RUN_STATUSES,
  RUN_TASK_STATUSES,
  type RunStatus,
  type RunTaskStatus,
} from '@mailkeep/contracts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@mailkeep/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

import { RunDto, TaskDto } from '../../schedules/dto/schedule.dto.js';

/** `?limit=&cursor=` of the run lists; runs, tasks and log lines have no name, so no `search`. */
class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class RunListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only runs of this archiving profile.' })
  @IsOptional()
  @IsUUID()
  profileId?: string;

  @ApiPropertyOptional({ enum: RUN_STATUSES, description: 'Only runs in this status.' })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;
}

export class RunTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RUN_TASK_STATUSES, description: 'Only tasks in this status.' })
  @IsOptional()
  @IsIn(RUN_TASK_STATUSES)
  status?: RunTaskStatus;
}

export class RunLogQueryDto extends PageQueryDto {}

export class RunPageDto {
  @ApiProperty({ type: [RunDto], description: 'Newest first; `tasks` is empty in lists.' })
  items!: RunDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskDto], description: 'Ordered by task id.' })
  items!: TaskDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class RunLogEntryDto {
  @ApiProperty({
    description:
      'Decimal string of an integer that increases with every entry: the order of the log, and the SSE event id.',
    example: '1042',
  })
  id!: string;
  @ApiProperty({ description: 'ISO-8601 UTC.' }) at!: string;
  @ApiProperty({ enum: RUN_LOG_SEVERITIES }) severity!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the run as a whole.' })
  mailboxId!: string | null;
}

export class RunLogPageDto {
  @ApiProperty({ type: [RunLogEntryDto], description: 'Oldest first.' })
  items!: RunLogEntryDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

class RunCountersEventDto {
  @ApiProperty() mailboxesTotal!: number;
  @ApiProperty() mailboxesSucceeded!: number;
  @ApiProperty() mailboxesFailed!: number;
  @ApiProperty() messagesArchived!: number;
  @ApiProperty() duplicatesSkipped!: number;
  @ApiProperty() messagesFailed!: number;
  @ApiProperty() bytesArchived!: number;
}

/** The data of an SSE `progress` event (RUN_PROGRESS_V1 as published). */
export class RunProgressEventDto {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty({ type: RunCountersEventDto }) counters!: RunCountersEventDto;
  @ApiProperty({ description: 'ISO-8601 UTC.' }) reportedAt!: string;
}

/** The data of an SSE `finished` event (RUN_FINISHED_V1 as published). */
export class RunFinishedEventDto {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid' }) scheduleId!: string;
  @ApiProperty({ format: 'uuid' }) profileId!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty({ type: RunCountersEventDto }) counters!: RunCountersEventDto;
  @ApiPropertyOptional({ description: 'ISO-8601 UTC; absent for a run that never started.' })
  startedAt?: string;
  @ApiProperty({ description: 'ISO-8601 UTC.' }) finishedAt!: string;
}
