import {
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';

/** SPEC §5: at most 100 fire times per request. */
export const MAX_NEXT_RUNS = 100;

export class ScheduleNextRunsRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The schedule id. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** Fire times strictly after this instant (ISO-8601 with offset); now when absent. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  /** How many fire times, 1–100. */
  @IsInt()
  @Min(1)
  @Max(MAX_NEXT_RUNS)
  count!: number;
}

export class ScheduleNextRuns {
  /** The fire times, earliest first, ISO-8601 UTC; fewer than asked when the schedule ends (once). */
  @IsArray()
  @IsISO8601({}, { each: true })
  items!: string[];
}

/** SC1 "the API shows the next run times", regardless of `enabled`. */
export const SCHEDULE_NEXT_RUNS_V1 = defineRequest({
  subject: 'scheduler.req.schedule.next-runs.v1',
  request: ScheduleNextRunsRequest,
  reply: ScheduleNextRuns,
});
