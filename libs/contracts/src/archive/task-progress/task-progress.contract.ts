import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsUUID, Min, ValidateNested } from 'class-validator';

import { defineEvent } from '../../core/contract.js';
import { ARCHIVE_EVENTS_STREAM } from '../../core/streams.js';
import { TaskCounters } from '../task-counters/task-counters.js';

/** Counters of a running task so far (throttled by the connector). */
export class TaskProgressEvent {
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
  /** Which delivery of the task command this is (1 on the first); counters restart with each. */
  @IsInt()
  @Min(1)
  attempt!: number;
  /** Counters of this attempt so far. */
  @ValidateNested()
  @Type(() => TaskCounters)
  counters!: TaskCounters;
  /** When the counters were taken (ISO-8601 UTC). */
  @IsISO8601()
  reportedAt!: string;
}

export const TASK_PROGRESS_V1 = defineEvent({
  subject: 'archive.evt.task.progress.v1',
  payload: TaskProgressEvent,
  stream: ARCHIVE_EVENTS_STREAM,
});
