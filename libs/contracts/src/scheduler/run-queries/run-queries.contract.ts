import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { TenantPageRequest } from '../../core/list-request.js';
import {
  Run,
  RUN_STATUSES,
  RUN_TASK_STATUSES,
  RunTask,
  type RunStatus,
  type RunTaskStatus,
} from '../run/run.js';

export class RunRef {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The run id as given by the caller (unknown ids are NOT_FOUND). */
  @IsString()
  @MaxLength(200)
  id!: string;
}

/** SC4: the tenant's runs, newest first (runs have no name to search). */
export class RunListRequest extends TenantPageRequest {
  /** Only runs of this profile. */
  @IsOptional()
  @IsUUID()
  profileId?: string;
  /** Only runs in this status. */
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;
}

export class RunPage {
  /** Runs of this page, newest first; `tasks` is empty in lists. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Run)
  items!: Run[];
  /** Cursor of the next page; null on the last one. */
  @IsOptional()
  @IsString()
  nextCursor!: string | null;
}

/** A page of one run's tasks (a run may have 100,000). */
export class RunTasksRequest extends TenantPageRequest {
  /** The run. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** Only tasks in this status. */
  @IsOptional()
  @IsIn(RUN_TASK_STATUSES)
  status?: RunTaskStatus;
}

export class RunTaskPage {
  /** Tasks of this page, by id. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RunTask)
  items!: RunTask[];
  /** Cursor of the next page; null on the last one. */
  @IsOptional()
  @IsString()
  nextCursor!: string | null;
}

export const RUN_LOG_SEVERITIES = ['info', 'warning', 'error'] as const;
export type RunLogSeverity = (typeof RUN_LOG_SEVERITIES)[number];

/** One line of a run's log (SC4). */
export class RunLogEntry {
  /** Increases with every entry of the platform: the order of the log. */
  @IsString()
  @MaxLength(30)
  id!: string;
  /** When it happened (ISO-8601 UTC). */
  @IsISO8601()
  at!: string;
  /** How much it matters. */
  @IsIn(RUN_LOG_SEVERITIES)
  severity!: RunLogSeverity;
  /** What happened, in plain words. */
  @IsString()
  @MaxLength(4_000)
  message!: string;
  /** The mailbox the entry is about, or null for the run as a whole. */
  @IsOptional()
  @IsUUID()
  mailboxId!: string | null;
}

/** A page of a run's log, oldest first. */
export class RunLogRequest extends TenantPageRequest {
  /** The run. */
  @IsString()
  @MaxLength(200)
  id!: string;
}

export class RunLogPage {
  /** Entries of this page, oldest first. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RunLogEntry)
  items!: RunLogEntry[];
  /** Cursor of the next page; null on the last one. */
  @IsOptional()
  @IsString()
  nextCursor!: string | null;
}

/** One run with its first tasks (RUN_TASKS_SHOWN); NOT_FOUND for another tenant's id. */
export const RUN_GET_V1 = defineRequest({
  subject: 'scheduler.req.run.get.v1',
  request: RunRef,
  reply: Run,
});

export const RUN_LIST_V1 = defineRequest({
  subject: 'scheduler.req.run.list.v1',
  request: RunListRequest,
  reply: RunPage,
});

/**
 * SC3 cancel: tasks not yet on the queue are cancelled at once, queued and running ones stop at
 * their next message; the run ends `cancelled` when every task has ended. CONFLICT (reason
 * `run_finished`) for a run that has already finished. Cancelling twice is not an error.
 */
export const RUN_CANCEL_V1 = defineRequest({
  subject: 'scheduler.req.run.cancel.v1',
  request: RunRef,
  reply: Run,
});

export const RUN_TASKS_V1 = defineRequest({
  subject: 'scheduler.req.run.tasks.v1',
  request: RunTasksRequest,
  reply: RunTaskPage,
});

export const RUN_LOG_V1 = defineRequest({
  subject: 'scheduler.req.run.log.v1',
  request: RunLogRequest,
  reply: RunLogPage,
});
