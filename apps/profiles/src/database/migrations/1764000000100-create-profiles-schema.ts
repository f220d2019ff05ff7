import type { QueryRunner } from 'typeorm';

import { firstMigration, ID_COLUMN, TENANT_ID_COLUMN, TIMESTAMP_COLUMNS } from '@mailkeep/persistence';

export class CreateProfilesSchema1764000000100 extends firstMigration('profiles', [
  {
    name: 'profile',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      name: 'varchar(200) NOT NULL',
      name_key: 'varchar(200) NOT NULL',
      type: 'varchar(20) NOT NULL',
      mode: 'varchar(10) NOT NULL',
      credentials_secret_id: 'uuid NOT NULL',
      mailbox_id: 'uuid',
      directory_service_id: 'uuid',
      delete_in_source: 'boolean NOT NULL DEFAULT false',
      settings: 'jsonb NOT NULL',
      version: 'integer NOT NULL DEFAULT 1',
      ...TIMESTAMP_COLUMNS,
    },
    indexes: [
      { name: 'ux_profile_tenant_name_key', unique: true, columns: ['tenant_id', 'name_key'] },
      { name: 'ix_profile_tenant_created', columns: ['tenant_id', 'created_at', 'id'] },
      { name: 'ix_profile_tenant_secret', columns: ['tenant_id', 'credentials_secret_id'] },
      { name: 'ix_profile_tenant_mailbox', columns: ['tenant_id', 'mailbox_id'] },
      { name: 'ix_profile_tenant_directory', columns: ['tenant_id', 'directory_service_id'] },
      { name: 'ix_profile_name_key_trgm', using: 'gin', columns: ['"name_key" public.gin_trgm_ops'] },
    ],
  },
]) {
  override name = 'CreateProfilesSchema1764000000100';

  override async up(db: QueryRunner): Promise<void> {
    // pg_trgm makes "name includes" an index scan instead of a sequential scan (P1 at 100,000 profiles).
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await super.up(db);
  }
}
