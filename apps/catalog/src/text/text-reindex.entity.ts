import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A tenant's text re-index (issue 23): its distinct blobs in hash order, `position` the last one
 * done, so a re-index interrupted by a restart goes on from there. One per tenant; a new request
 * starts it over.
 */
@Entity({ name: 'text_reindex' })
export class TextReindexEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_text_reindex' })
  tenantId!: string;

  /** `running` or `succeeded`. */
  @Column({ type: 'varchar', length: 20 })
  status!: string;

  /** Distinct blobs of the tenant when it was requested. */
  @Column({ type: 'integer', default: 0 })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  done!: number;

  /** SHA-256 of the last blob re-indexed; null before the first. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  position!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
