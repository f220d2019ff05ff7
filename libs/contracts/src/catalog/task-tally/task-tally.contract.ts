import { IsInt, IsUUID, Min } from 'class-validator';

import { defineRequest } from '../../core/contract.js';

/**
 * What the catalog holds of one mailbox task (issue 17 item 8): the scheduler asks it for a task
 * that was delivered more than once, because what a killed attempt archived after its last
 * progress event is known only to the archive.
 */
export class TaskTallyRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The task's mailbox (the catalog finds the task's rows through the mailbox). */
  @IsUUID()
  mailboxId!: string;
  /** The task (`task_id` of its rows). */
  @IsUUID()
  taskId!: string;
  /**
   * ARCHIVE_EVENTS stream sequence of the task's `task.finished` event. Every archived event of
   * the task lies before it; the catalog answers only once it has ingested that far, else
   * TEMPORARY (`catalog_behind`).
   */
  @IsInt()
  @Min(1)
  throughSequence!: number;
}

export class TaskTally {
  /** Messages whose catalog row the task wrote. */
  @IsInt()
  @Min(0)
  messages!: number;
  /** Their raw sizes, summed. */
  @IsInt()
  @Min(0)
  bytes!: number;
}

export const TASK_TALLY_V1 = defineRequest({
  subject: 'catalog.req.task.tally.v1',
  request: TaskTallyRequest,
  reply: TaskTally,
});
