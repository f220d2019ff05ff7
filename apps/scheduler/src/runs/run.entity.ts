import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';
import type { RunStatus, RunTrigger } from '@mailkeep/contracts';

@Entity({ name: 'run' })
@Index('ix_run_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('ix_run_tenant_profile', ['tenantId', 'profileId'])
// SC2 in the database: at most one queued/running run per profile, whoever inserts it (a firing
// on any replica, run now). Partial: created in the migration.
@Index('ux_run_active_profile', { synchronize: false })
// A slot of a schedule fires at most once, even if two claimers ever disagreed. Partial (manual
// runs have no slot): created in the migration.
@Index('ux_run_schedule_slot', { synchronize: false })
// Runs the recovery pass looks at: not finished, or finished with the event not yet published.
@Index('ix_run_unfinished', { synchronize: false })
export class RunEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_run' })
  id!: string;

  /** Kept after the schedule is deleted: the run history stays readable. */
  @Column({ type: 'uuid' })
  scheduleId!: string;

  @Column({ type: 'uuid' })
  profileId!: string;

  @Column({ type: 'varchar', length: 20 })
  trigger!: RunTrigger;

  @Column({ type: 'varchar', length: 30 })
  status!: RunStatus;

  /** The schedule slot this firing stands for; null for run now. */
  @Column({ type: 'timestamptz', nullable: true })
  slotAt!: Date | null;

  /** For a `skipped` firing: the active run of the profile it found. */
  @Column({ type: 'uuid', nullable: true })
  skippedForRunId!: string | null;

  @Column({ type: 'integer', default: 0 })
  mailboxesTotal!: number;

  @Column({ type: 'integer', default: 0 })
  mailboxesSucceeded!: number;

  @Column({ type: 'integer', default: 0 })
  mailboxesFailed!: number;

  @Column({ type: 'integer', default: 0 })
  messagesArchived!: number;

  @Column({ type: 'integer', default: 0 })
  duplicatesSkipped!: number;

  @Column({ type: 'integer', default: 0 })
  messagesFailed!: number;

  /** bigint: a run can archive more than 2 GiB. pg returns it as a string. */
  @Column({ type: 'bigint', default: 0 })
  bytesArchived!: string;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** Every mailbox has its task (and each task its command) or the run stopped creating them. */
  @Column({ type: 'boolean', default: false })
  dispatched!: boolean;

  /** The directory page where dispatch goes on after a restart; null before the first page. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  dispatchCursor!: string | null;

  /** A scheduler replica dispatching the run holds it until then (renewed per page). */
  @Column({ type: 'timestamptz', nullable: true })
  dispatchLeaseUntil!: Date | null;

  /** Tasks that ended (succeeded, failed or cancelled); the run ends when all have. */
  @Column({ type: 'integer', default: 0 })
  tasksFinished!: number;

  @Column({ type: 'timestamptz', nullable: true })
  cancelRequestedAt!: Date | null;

  /** `archive.evt.run.finished.v1` was published (republished after a crash until it was). */
  @Column({ type: 'boolean', default: false })
  finishPublished!: boolean;

  /** Why the run could not create its tasks (profile gone, directory refused); null otherwise. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  setupError!: string | null;
}
