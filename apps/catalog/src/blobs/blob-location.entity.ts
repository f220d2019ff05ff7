import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where a tenant's blob stored in a segment lives (decision 0020): the hash → location index.
 * One row per (tenant, hash), the first location archived wins; a blob with no row is its own
 * object at its content address (every message archived before segments, and large ones).
 * Copies of the same content written into other segments by other workers are unreferenced
 * bytes, which a later compaction reclaims.
 */
@Entity({ name: 'blob_location' })
@Index('ix_blob_location_segment', ['tenantId', 'segmentId'])
export class BlobLocationEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_blob_location' })
  tenantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_blob_location' })
  sha256!: string;

  @Column({ type: 'uuid' })
  segmentId!: string;

  /** Offset of the blob's first byte in the segment. */
  @Column({ type: 'bigint' })
  segmentOffset!: string;

  @Column({ type: 'bigint' })
  size!: string;
}
