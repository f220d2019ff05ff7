import type { RunTaskStatus, TaskCounters } from '@mailkeep/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';

/**
 * One mailbox of one run (SC4). Counters are kept per delivery of the task's command: a new
 * attempt starts its counters at zero, so the finished attempts are summed in `pastCounters`
 * and the current one is `attemptCounters`; the task's counters are their sum.
 */
@Entity({ name: 'task' })
@Index('ux_task_run_mailbox', ['runId', 'mailboxId'], { unique: true })
@Index('ix_task_run_status', ['runId', 'status', 'id'])
export class TaskEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task' })
  id!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'uuid' })
  mailboxId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: RunTaskStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** The attempt whose counters `attemptCounters` holds. */
  @Column({ type: 'uuid', nullable: true })
  attemptId!: string | null;

  /** Attempts already folded into `pastCounters`: their late events are ignored. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  pastAttemptIds!: string[];

  @Column({ type: 'jsonb' })
  pastCounters!: TaskCounters;

  @Column({ type: 'jsonb' })
  attemptCounters!: TaskCounters;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
