import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';

/** What a committed sync reported (SPEC D4), kept as `lastSync`. */
export interface StoredSyncResult {
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly created: number;
  readonly updated: number;
  readonly disabled: number;
  readonly unchanged: number;
}

@Entity({ name: 'directory_service' })
// Names are unique per tenant, case-insensitively: the index decides, not a check-then-insert.
@Index('ux_directory_service_tenant_name', ['tenantId', 'nameKey'], { unique: true })
// Finds the services that use a secret (guarded secret deletes, SPEC S5).
@Index('ix_directory_service_tenant_secret', ['tenantId', 'credentialsSecretId'])
export class DirectoryServiceEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_directory_service' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** lower(name): what uniqueness, ordering and search compare. */
  @Column({ type: 'varchar', length: 200 })
  nameKey!: string;

  @Column({ type: 'varchar', length: 1000, default: '' })
  description!: string;

  /** A key of DIRECTORY_SERVICE_KINDS (`static`, `m365`), each with its own `settings`. */
  @Column({ type: 'varchar', length: 32 })
  type!: string;

  /**
   * Type-specific settings as validated by the type's settings class, without
   * `credentialsSecretId` (its own column, indexed for guarded secret deletes); `{}` for static.
   * Never secrets.
   */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  settings!: Record<string, unknown>;

  /** The secret a synced type authenticates with; always null for static. */
  @Column({ type: 'uuid', nullable: true })
  credentialsSecretId!: string | null;

  /** Whether a sync disables mailboxes gone from the source (a sync request can override it). */
  @Column({ type: 'boolean', default: false })
  disableMissing!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  lastSync!: StoredSyncResult | null;

  /** Set in JS (millisecond precision), so values round-trip exactly. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
