import { RUN_TASK_STATUSES } from '@mailkeep/contracts';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

import { ListQueryDto } from '../../http/dto/list-query.dto.js';

class ScheduleTargetDto {
  @ApiProperty({ enum: ['archiving-profile'] })
  kind!: string;
  @ApiProperty({ format: 'uuid', description: 'An archiving profile of the tenant.' })
  profileId!: string;
}

class RecurrenceDto {
  @ApiProperty({ enum: ['once', 'interval', 'daily', 'cron'] })
  type!: string;
  @ApiPropertyOptional({
    description:
      'once: ISO-8601 date and time, in the future (a past time is a field error); without an offset it is read in the schedule time zone.',
    example: '2027-03-28T02:30',
  })
  at?: string;
  @ApiPropertyOptional({ minimum: 15, description: 'interval: minutes of elapsed time between firings.' })
  everyMinutes?: number;
  @ApiPropertyOptional({ type: [String], example: ['02:30'], description: 'daily: local times "HH:MM".' })
  times?: string[];
  @ApiPropertyOptional({
    type: [String],
    enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    description: 'daily: only on these days; every day when absent.',
  })
  weekdays?: string[];
  @ApiPropertyOptional({
    example: '30 2 * * 1-5',
    description: 'cron: 5 fields, read in the schedule time zone.',
  })
  expression?: string;
}

const DST_NOTE =
  'A local time the zone skips fires at the end of the gap; a local time it repeats fires once (the first).';

/** The body of create and PATCH (SPEC §5 Schedule); the scheduler validates it. */
export class ScheduleInputDto {
  @ApiProperty({ description: 'Unique in the tenant (case-insensitive), 1–200 characters.' })
  name!: string;
  @ApiProperty({ type: ScheduleTargetDto })
  target!: ScheduleTargetDto;
  @ApiPropertyOptional({ default: true, description: 'Disabled schedules do not fire; run now still works.' })
  enabled?: boolean;
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone of the recurrence.' })
  timezone!: string;
  @ApiProperty({ type: RecurrenceDto, description: DST_NOTE })
  recurrence!: RecurrenceDto;
}

/** A schedule created under a profile (`…/archiving-profiles/{id}/schedules`): that profile is its target. */
export class ProfileScheduleInputDto extends OmitType(ScheduleInputDto, ['target'] as const) {}

export class ScheduleDto extends ScheduleInputDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: [String], description: 'The next 5 fire times, ISO-8601 UTC; empty when disabled.' })
  nextRuns!: string[];
}

export class SchedulePageDto {
  @ApiProperty({ type: [ScheduleDto] })
  items!: ScheduleDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ScheduleListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only schedules that run this profile.' })
  @IsOptional()
  @IsUUID()
  profileId?: string;
}

export class NextRunsQueryDto {
  @ApiPropertyOptional({ description: 'Fire times after this instant (ISO-8601 with offset); default now.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  count?: number;
}

export class NextRunsDto {
  @ApiProperty({ type: [String], description: 'ISO-8601 UTC, earliest first.' })
  items!: string[];
}

class RunCountersDto {
  @ApiProperty() mailboxesTotal!: number;
  @ApiProperty() mailboxesSucceeded!: number;
  @ApiProperty() mailboxesFailed!: number;
  @ApiProperty({ description: 'Messages newly archived in this run.' }) messagesArchived!: number;
  @ApiProperty() duplicatesSkipped!: number;
  @ApiProperty() messagesFailed!: number;
  @ApiProperty() bytesArchived!: number;
}

/** A task's own counters: the message figures of a run's counters, without the mailbox ones. */
export class TaskCountersDto {
  @ApiProperty({ description: 'Messages newly archived by this task.' }) messagesArchived!: number;
  @ApiProperty() duplicatesSkipped!: number;
  @ApiProperty() messagesFailed!: number;
  @ApiProperty() bytesArchived!: number;
}

/** One task of a run: one mailbox (SC4). */
export class TaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) mailboxId!: string;
  @ApiProperty({ enum: RUN_TASK_STATUSES }) status!: string;
  @ApiProperty({ description: 'Deliveries so far.' }) attempts!: number;
  @ApiProperty({ type: TaskCountersDto }) counters!: TaskCountersDto;
  @ApiProperty({ type: String, nullable: true, description: 'The reason of the last failure, not a stack.' })
  lastError!: string | null;
}

export class RunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) scheduleId!: string;
  @ApiProperty({ format: 'uuid' }) profileId!: string;
  @ApiProperty({ enum: ['schedule', 'manual'] }) trigger!: string;
  @ApiProperty({
    enum: ['queued', 'running', 'succeeded', 'completed-with-errors', 'failed', 'cancelled', 'skipped'],
  })
  status!: string;
  @ApiProperty({ type: String, nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: RunCountersDto }) counters!: RunCountersDto;
  @ApiProperty({
    type: [TaskDto],
    description: 'At most 500 tasks, failed and running first; GET …/runs/{id}/tasks pages through all.',
  })
  tasks!: TaskDto[];
}
