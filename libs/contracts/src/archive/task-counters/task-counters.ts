import { IsInt, Min } from 'class-validator';

/**
 * What one task has done so far. Same names as the run's counters (`RunCounters`), so the scheduler
 * adds a task's figures to its run field by field.
 */
export class TaskCounters {
  /** Messages whose archived event this task published for the first time. */
  @IsInt()
  @Min(0)
  messagesArchived!: number;
  /** Messages whose archived event was already on the stream (same source identity: a re-run). */
  @IsInt()
  @Min(0)
  duplicatesSkipped!: number;
  /** Messages that could not be archived (recorded, the task went on: SPEC C4). */
  @IsInt()
  @Min(0)
  messagesFailed!: number;
  /** Bytes of the messages counted in messagesArchived. */
  @IsInt()
  @Min(0)
  bytesArchived!: number;
}
