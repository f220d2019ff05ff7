import type { RunLogSeverity } from '@mailkeep/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';

/** One line of a run's log (SC4); the id orders the log. */
@Entity({ name: 'run_log' })
@Index('ix_run_log_run', ['runId', 'id'])
export class RunLogEntity extends TenantScoped {
  /** bigint: pg returns it as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'pk_run_log' })
  id!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'varchar', length: 10 })
  severity!: RunLogSeverity;

  @Column({ type: 'varchar', length: 4000 })
  message!: string;

  @Column({ type: 'uuid', nullable: true })
  mailboxId!: string | null;
}
