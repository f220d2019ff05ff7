import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';
import type { ProfileMode, ProfileType } from '@mailkeep/contracts';

import type { ValidProfile } from './profile-rules.js';

/** The type-specific properties, kept together: which ones exist depends on type and mode. */
export type ProfileSettings = Omit<
  ValidProfile,
  'name' | 'type' | 'mode' | 'credentialsSecretId' | 'deleteInSource' | 'mailboxId' | 'directoryServiceId'
>;

@Entity({ name: 'profile' })
@Index('ux_profile_tenant_name_key', ['tenantId', 'nameKey'], { unique: true })
@Index('ix_profile_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('ix_profile_tenant_secret', ['tenantId', 'credentialsSecretId'])
@Index('ix_profile_tenant_mailbox', ['tenantId', 'mailboxId'])
@Index('ix_profile_tenant_directory', ['tenantId', 'directoryServiceId'])
// Trigram index for "name includes" search at 100,000 profiles (created in the migration:
// TypeORM cannot describe GIN operator classes).
@Index('ix_profile_name_key_trgm', { synchronize: false })
export class ProfileEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_profile' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** lower(name): what uniqueness and search compare. */
  @Column({ type: 'varchar', length: 200 })
  nameKey!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: ProfileType;

  @Column({ type: 'varchar', length: 10 })
  mode!: ProfileMode;

  @Column({ type: 'uuid' })
  credentialsSecretId!: string;

  @Column({ type: 'uuid', nullable: true })
  mailboxId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  directoryServiceId!: string | null;

  @Column({ type: 'boolean', default: false })
  deleteInSource!: boolean;

  @Column({ type: 'jsonb' })
  settings!: ProfileSettings;

  /** Optimistic concurrency: bumped by every update, compared with If-Match. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** Set in JS (millisecond precision) so keyset cursors compare exactly. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
