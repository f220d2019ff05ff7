import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'tenant' })
// Names are unique case-insensitively among live tenants; a deleted tenant frees its name.
// Partial indexes are declared in the migration (TypeORM cannot compare their predicates).
@Index('ux_tenant_name_key_live', { synchronize: false })
export class TenantEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_tenant' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** lower(name): what uniqueness and search compare. */
  @Column({ type: 'varchar', length: 200 })
  nameKey!: string;

  /** Set by the service in JS (millisecond precision), so keyset cursors compare exactly. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Set when an operator deletes the tenant: it disappears from the API, its records stay. */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
