import { firstMigration, ID_COLUMN, TENANT_ID_COLUMN, TIMESTAMP_COLUMNS } from '@mailkeep/persistence';

export class CreateSchedulerSchema1764000000200 extends firstMigration('scheduler', [
  {
    name: 'schedule',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      name: 'varchar(200) NOT NULL',
      name_key: 'varchar(200) NOT NULL',
      target_kind: 'varchar(30) NOT NULL',
      profile_id: 'uuid NOT NULL',
      enabled: 'boolean NOT NULL',
      timezone: 'varchar(100) NOT NULL',
      recurrence: 'jsonb NOT NULL',
      anchor_at: 'timestamptz NOT NULL',
      next_fire_at: 'timestamptz',
      ...TIMESTAMP_COLUMNS,
    },
    indexes: [
      { name: 'ux_schedule_tenant_name_key', unique: true, columns: ['tenant_id', 'name_key'] },
      { name: 'ix_schedule_tenant_created', columns: ['tenant_id', 'created_at', 'id'] },
      { name: 'ix_schedule_tenant_profile', columns: ['tenant_id', 'profile_id'] },
      { name: 'ix_schedule_due', columns: ['next_fire_at'], where: '"next_fire_at" IS NOT NULL' },
    ],
  },
  {
    name: 'run',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      schedule_id: 'uuid NOT NULL',
      profile_id: 'uuid NOT NULL',
      trigger: 'varchar(20) NOT NULL',
      status: 'varchar(30) NOT NULL',
      slot_at: 'timestamptz',
      skipped_for_run_id: 'uuid',
      mailboxes_total: 'integer NOT NULL DEFAULT 0',
      mailboxes_succeeded: 'integer NOT NULL DEFAULT 0',
      mailboxes_failed: 'integer NOT NULL DEFAULT 0',
      messages_archived: 'integer NOT NULL DEFAULT 0',
      duplicates_skipped: 'integer NOT NULL DEFAULT 0',
      messages_failed: 'integer NOT NULL DEFAULT 0',
      bytes_archived: 'bigint NOT NULL DEFAULT 0',
      started_at: 'timestamptz',
      finished_at: 'timestamptz',
      created_at: 'timestamptz NOT NULL DEFAULT now()',
    },
    indexes: [
      { name: 'ix_run_tenant_created', columns: ['tenant_id', 'created_at', 'id'] },
      { name: 'ix_run_tenant_profile', columns: ['tenant_id', 'profile_id'] },
      {
        name: 'ux_run_active_profile',
        unique: true,
        columns: ['tenant_id', 'profile_id'],
        where: "\"status\" IN ('queued', 'running')",
      },
      {
        name: 'ux_run_schedule_slot',
        unique: true,
        columns: ['schedule_id', 'slot_at'],
        where: '"slot_at" IS NOT NULL',
      },
    ],
  },
]) {
  override name = 'CreateSchedulerSchema1764000000200';
}
