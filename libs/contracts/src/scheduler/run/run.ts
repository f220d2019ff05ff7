import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { TaskCounters } from '../../archive/task-counters/task-counters.js';

/** SPEC SC4. `skipped` is a firing that found a run of the profile active (SC2): recorded, never started. */
export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'completed-with-errors',
  'failed',
  'cancelled',
  'skipped',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run that blocks another run of the same profile (SC2: at most one active run per profile). */
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];

export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/**
 * A run's counters (SPEC §5): its tasks' message counters added up (the same names as
 * `TaskCounters`, so a task's figures add field by field), plus how its mailboxes fared.
 */
export class RunCounters extends TaskCounters {
  /** Mailboxes the run covers. */
  @IsInt()
  @Min(0)
  mailboxesTotal!: number;
  /** Mailboxes whose task succeeded. */
  @IsInt()
  @Min(0)
  mailboxesSucceeded!: number;
  /** Mailboxes whose task failed. */
  @IsInt()
  @Min(0)
  mailboxesFailed!: number;
}

export class RunTask {
  /** The mailbox of the task. */
  @IsUUID()
  mailboxId!: string;
  /** The task's own status. */
  @IsString()
  @MaxLength(30)
  status!: string;
  /** Deliveries so far. */
  @IsInt()
  @Min(0)
  attempts!: number;
  /** The task's counters. */
  @ValidateNested()
  @Type(() => TaskCounters)
  counters!: TaskCounters;
  /** The last error, or null. */
  @IsOptional()
  @IsString()
  lastError!: string | null;
}

/** A run as shown (SPEC §5). */
export class Run {
  /** Its id. */
  @IsUUID()
  id!: string;
  /** The schedule that fired it, or whose "run now" started it. */
  @IsUUID()
  scheduleId!: string;
  /** The profile it runs. */
  @IsUUID()
  profileId!: string;
  /** What started it. */
  @IsIn(RUN_TRIGGERS)
  trigger!: RunTrigger;
  /** SC4 status. */
  @IsIn(RUN_STATUSES)
  status!: RunStatus;
  /** When it started running; null while queued. */
  @IsOptional()
  @IsISO8601()
  startedAt!: string | null;
  /** When it finished; null until then. */
  @IsOptional()
  @IsISO8601()
  finishedAt!: string | null;
  /** The run's counters. */
  @ValidateNested()
  @Type(() => RunCounters)
  counters!: RunCounters;
  /** One task per mailbox (empty until the run has resolved its mailboxes). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RunTask)
  tasks!: RunTask[];
}
