import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineEvent } from '../../core/contract.js';
import { CONTRACT_ERROR_CODES, type ContractErrorCode } from '../../core/errors.js';
import { ARCHIVE_EVENTS_STREAM } from '../../core/streams.js';
import { TaskCounters } from '../task-counters/task-counters.js';

export const TASK_FINISHED_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export type TaskFinishedStatus = (typeof TASK_FINISHED_STATUSES)[number];

/** At most this many failed messages are listed in the event; the counter has them all. */
export const TASK_FINISHED_MAX_FAILURES = 100;

export class TaskError {
  /** The contract error code. */
  @IsIn(CONTRACT_ERROR_CODES)
  code!: ContractErrorCode;
  /** A finer, stable category, e.g. `authentication`, `throttled`, `storage`. */
  @IsString()
  @MaxLength(100)
  category!: string;
  /** What went wrong, in plain words (never a credential). */
  @IsString()
  @MaxLength(4_000)
  message!: string;
}

export class TaskMessageFailure {
  /** The failed message's source identity. */
  @IsString()
  @MaxLength(2_000)
  sourceIdentity!: string;
  /** Why it failed. */
  @ValidateNested()
  @Type(() => TaskError)
  error!: TaskError;
}

/**
 * A folder the task could not open (the server refused to select it): the task goes on with the
 * other folders and may still succeed; the run reports the folder (completed with errors).
 */
export class TaskFolderFailure {
  /** The folder's path as the archive names it (`/` between levels). */
  @IsString()
  @MaxLength(2_000)
  folder!: string;
  /** Why it could not be opened. */
  @ValidateNested()
  @Type(() => TaskError)
  error!: TaskError;
}

/** A task's end: succeeded (perhaps with failed messages), failed, or cancelled. */
export class TaskFinishedEvent {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The run. */
  @IsUUID()
  runId!: string;
  /** The task. */
  @IsUUID()
  taskId!: string;
  /** The task's mailbox. */
  @IsUUID()
  mailboxId!: string;
  /**
   * Identifies one delivery of the task command (a handler invocation): counters restart with each,
   * and the delivery count cannot tell them apart (NATS 2.9 may report 1 again after a nak).
   */
  @IsUUID()
  attemptId!: string;
  /** How it ended. */
  @IsIn(TASK_FINISHED_STATUSES)
  status!: TaskFinishedStatus;
  /** Deliveries of the task command it took. */
  @IsInt()
  @Min(1)
  attempts!: number;
  /** Counters of the last attempt. */
  @ValidateNested()
  @Type(() => TaskCounters)
  counters!: TaskCounters;
  /** Why the task failed; absent unless status is failed. */
  @IsOptional()
  @ValidateNested()
  @Type(() => TaskError)
  error?: TaskError;
  /** The first failed messages of the last attempt (SPEC C4). */
  @IsArray()
  @ArrayMaxSize(TASK_FINISHED_MAX_FAILURES)
  @ValidateNested({ each: true })
  @Type(() => TaskMessageFailure)
  failures!: TaskMessageFailure[];
  /** The folders of the last attempt that could not be opened (absent when none; at most 100). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TASK_FINISHED_MAX_FAILURES)
  @ValidateNested({ each: true })
  @Type(() => TaskFolderFailure)
  folderFailures?: TaskFolderFailure[];
  /** When it ended (ISO-8601 UTC). */
  @IsISO8601()
  finishedAt!: string;
}

/** Published once per task by the connector (`Nats-Msg-Id` = `archive-task-finished-<taskId>`). */
export const TASK_FINISHED_V1 = defineEvent({
  subject: 'archive.evt.task.finished.v1',
  payload: TaskFinishedEvent,
  stream: ARCHIVE_EVENTS_STREAM,
});
