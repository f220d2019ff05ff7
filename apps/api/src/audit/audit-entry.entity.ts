import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { AuditHashAlgorithm } from './audit-hash.js';

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * One entry of a hash-chained audit log. Each tenant has its own chain (`chain` = tenant id);
 * entries without a tenant (operator actions on the platform, failed authentication) form the
 * `platform` chain. `seq` numbers a chain without gaps, so a deleted row breaks verification too.
 */
@Entity({ name: 'audit_entry' })
@Index('ux_audit_entry_chain_seq', ['chain', 'seq'], { unique: true })
@Index('ix_audit_entry_tenant_at', ['tenantId', 'at'])
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_audit_entry' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  chain!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorApiKeyId!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  actorRole!: string | null;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  action!: string;

  @Column({ type: 'varchar', length: 50 })
  objectType!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  objectId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  /** The HTTP status the caller got. */
  @Column({ type: 'smallint' })
  status!: number;

  @Column({ type: 'varchar', length: 128 })
  requestId!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  @Column({ type: 'char', length: 64, nullable: true })
  previousHash!: string | null;

  /** How `hash` was computed: `hmac-sha256` (with the audit key) or the legacy `sha256`. */
  @Column({ type: 'varchar', length: 16, default: 'sha256' })
  hashAlg!: AuditHashAlgorithm;
}
