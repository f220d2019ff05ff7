import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';
import type { Recurrence } from './recurrence.js';

@Entity({ name: 'schedule' })
@Index('ux_schedule_tenant_name_key', ['tenantId', 'nameKey'], { unique: true })
@Index('ix_schedule_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('ix_schedule_tenant_profile', ['tenantId', 'profileId'])
// The firing loop's claim reads only due rows: a partial index over the schedules that will fire
// (created in the migration, so the schema builder does not compare its WHERE text).
@Index('ix_schedule_due', { synchronize: false })
export class ScheduleEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_schedule' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** lower(name): what uniqueness and search compare. */
  @Column({ type: 'varchar', length: 200 })
  nameKey!: string;

  /** `archiving-profile` today; directory syncs later. */
  @Column({ type: 'varchar', length: 30 })
  targetKind!: 'archiving-profile';

  @Column({ type: 'uuid' })
  profileId!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'varchar', length: 100 })
  timezone!: string;

  @Column({ type: 'jsonb' })
  recurrence!: Recurrence;

  /** Where an interval counts from: set when the recurrence or time zone is written. */
  @Column({ type: 'timestamptz' })
  anchorAt!: Date;

  /**
   * The next slot to fire; null when the schedule will not fire (disabled, or a `once` that is
   * past). Advanced in the transaction that records the firing (SC2).
   */
  @Column({ type: 'timestamptz', nullable: true })
  nextFireAt!: Date | null;

  /** Set in JS (millisecond precision) so keyset cursors compare exactly. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
