import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const API_KEY_ROLES = ['operator', 'admin', 'auditor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

@Entity({ name: 'api_key' })
@Index('ix_api_key_tenant', ['tenantId', 'createdAt'])
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_api_key' })
  id!: string;

  /** The tenant an admin or auditor key belongs to; null for operator keys (all tenants). */
  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: ApiKeyRole;

  /** The key's public beginning (`mk_<id part>`), shown in lists so a person can tell keys apart. */
  @Column({ type: 'varchar', length: 32 })
  keyPrefix!: string;

  /** SHA-256 of the whole key. Keys are 256-bit random, so a fast hash is enough (no brute force). */
  @Index('ux_api_key_hash', { unique: true })
  @Column({ type: 'char', length: 64, select: false })
  keyHash!: string;

  /** Marks the key made from MAILKEEP_BOOTSTRAP_API_KEY or generated at first start. */
  @Column({ type: 'boolean', default: false })
  bootstrap!: boolean;

  /** Set by the service in JS (millisecond precision), so keyset cursors compare exactly. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** Keys are revoked, never deleted, so audit entries keep pointing at a known key. */
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
