import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';

export class ScheduleTarget {
  /** What the schedule runs; archiving profiles today, directory syncs later. */
  @IsIn(['archiving-profile'])
  kind!: 'archiving-profile';
  /** The profile run by the schedule. */
  @IsUUID()
  profileId!: string;
}

export class ScheduleCreateRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The schedule as the client wrote it (SPEC §5 Schedule, `target` included); the scheduler validates it. */
  @IsObject()
  schedule!: Record<string, unknown>;
}

/** A schedule as shown (SPEC §5). */
export class Schedule {
  /** Its id. */
  @IsUUID()
  id!: string;
  /** Unique in the tenant. */
  @IsString()
  @MaxLength(200)
  name!: string;
  /** What it runs. */
  @ValidateNested()
  @Type(() => ScheduleTarget)
  target!: ScheduleTarget;
  /** Disabled schedules do not fire. */
  @IsBoolean()
  enabled!: boolean;
  /** IANA time zone of the recurrence. */
  @IsString()
  @MaxLength(100)
  timezone!: string;
  /** `{ type: once|interval|daily|cron, … }` (SPEC SC1). */
  @IsObject()
  recurrence!: Record<string, unknown>;
  /** The next fire times (ISO-8601 UTC). */
  @IsArray()
  @IsISO8601({}, { each: true })
  nextRuns!: string[];
}

/** Creates a schedule; the archiving-profiles route P6 sends it with the profile as target. */
export const SCHEDULE_CREATE_V1 = defineRequest({
  subject: 'scheduler.req.schedule.create.v1',
  request: ScheduleCreateRequest,
  reply: Schedule,
});
