import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';

@Entity({ name: 'mailbox' })
// List order (primary address) with keyset paging inside a tenant.
@Index('ix_mailbox_tenant_address_key', ['tenantId', 'addressKey', 'id'])
// Members of a directory service, by id: the resolve pages of a run.
@Index('ix_mailbox_tenant_directory_service', ['tenantId', 'directoryServiceId', 'id'])
// One mailbox per source entry of a synced directory service (the index decides, not a check).
@Index('ux_mailbox_service_external_id', ['tenantId', 'directoryServiceId', 'externalId'], {
  unique: true,
  where: '"external_id" IS NOT NULL',
})
export class MailboxEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_mailbox' })
  id!: string;

  /** As given, the domain in lower-case ASCII. */
  @Column({ type: 'varchar', length: 320 })
  primaryAddress!: string;

  /** lower(primaryAddress): the import's identity and the list's order. */
  @Column({ type: 'varchar', length: 320 })
  addressKey!: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  secondaryAddresses!: string[];

  @Column({ type: 'varchar', length: 256, default: '' })
  displayName!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** `manual` or `directory` (synced: only secondary addresses are editable). */
  @Column({ type: 'varchar', length: 16 })
  origin!: string;

  @Column({ type: 'uuid', nullable: true })
  directoryServiceId!: string | null;

  /** The source entry a synced mailbox comes from (m365: the Entra ID user id); null otherwise. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
