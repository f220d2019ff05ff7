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

/** SC4 task statuses: `pending` until its command is on the work queue, then `queued`. */
export const RUN_TASK_STATUSES = [
  'pending',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type RunTaskStatus = (typeof RUN_TASK_STATUSES)[number];

/** A task's last error is kept to this length: the reason, not a stack. */
export const RUN_TASK_ERROR_LENGTH = 1_000;

export class RunTask {
  /** The task's id (the `Nats-Msg-Id` of its command). */
  @IsUUID()
  id!: string;
  /** The mailbox of the task. */
  @IsUUID()
  mailboxId!: string;
  /** The task's own status. */
  @IsIn(RUN_TASK_STATUSES)
  status!: RunTaskStatus;
  /** Deliveries so far. */
  @IsInt()
  @Min(0)
  attempts!: number;
  /** The task's counters. */
  @ValidateNested()
  @Type(() => TaskCounters)
  counters!: TaskCounters;
  /** The last error (at most RUN_TASK_ERROR_LENGTH characters), or null. */
  @IsOptional()
  @IsString()
  @MaxLength(RUN_TASK_ERROR_LENGTH)
  lastError!: string | null;
}

/** Tasks included in one Run reply: 500 tasks are about 150 KB, well under NATS's 1 MB payload. */
export const RUN_TASKS_SHOWN = 500;

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
  /**
   * One task per mailbox (empty until the run has resolved its mailboxes). At most
   * RUN_TASKS_SHOWN, failed and running ones first; page through all with `run.tasks`. Empty in
   * lists.
   */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RunTask)
  tasks!: RunTask[];
}
