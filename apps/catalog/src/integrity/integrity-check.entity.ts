import type { IntegrityCheckStatus, SegmentProblem } from '@mailkeep/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';

/** An integrity check of one tenant's blobs (A4), with its progress. */
@Entity({ name: 'integrity_check' })
@Index('ix_integrity_check_tenant', ['tenantId', 'startedAt'])
// At most one running check per tenant. Partial: created in the migration.
@Index('ux_integrity_check_running', { synchronize: false })
export class IntegrityCheckEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_integrity_check' })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: IntegrityCheckStatus;

  /** Distinct blobs of the tenant when the check started. */
  @Column({ type: 'integer', default: 0 })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  checked!: number;

  @Column({ type: 'integer', default: 0 })
  mismatchCount!: number;

  @Column({ type: 'integer', default: 0 })
  missingCount!: number;

  /** Segments whose trailer, index or checksum is damaged though every message in them hashes. */
  @Column({ type: 'integer', default: 0 })
  damagedSegmentCount!: number;

  /**
   * Where a resumed check goes on (check-position.ts): the last own-object blob checked (its hash,
   * phase one) or the last segment checked (phase two).
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  position!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** The catalog process working on it (a random id per process and check); null when released. */
  @Column({ type: 'uuid', nullable: true })
  owner!: string | null;

  /** Renewed while its owner works on it; a stale one is taken over (resumed) by another process. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  heartbeatAt!: Date;
}

/** A blob a check found damaged (`mismatch`) or gone (`missing`). */
@Entity({ name: 'integrity_finding' })
export class IntegrityFindingEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_integrity_finding' })
  checkId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_integrity_finding' })
  sha256!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: 'mismatch' | 'missing';

  @Column({ type: 'bigint' })
  expectedSize!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actualSha256!: string | null;

  @Column({ type: 'bigint', nullable: true })
  actualSize!: string | null;
}

/** A segment damaged while every message the catalog places in it still hashes (segment-verifier.ts). */
@Entity({ name: 'integrity_segment_finding' })
export class IntegritySegmentFindingEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_integrity_segment_finding' })
  checkId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_integrity_segment_finding' })
  segmentId!: string;

  @Column({ type: 'varchar', length: 20 })
  problem!: SegmentProblem;
}
