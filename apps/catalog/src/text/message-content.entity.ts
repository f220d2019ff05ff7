import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The extracted text of one blob of a tenant (issue 23): shared by every row of that content (the
 * same message in several folders or mailboxes is extracted once).
 */
@Entity({ name: 'message_content' })
export class MessageContentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_message_content' })
  tenantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_message_content' })
  sha256!: string;

  /** TEXT_EXTRACTOR_VERSION that made it; an older one is extracted again. */
  @Column({ type: 'smallint' })
  extractorVersion!: number;

  /** Headers (weight A), body and attachments (weight D): copied into each message row's `search`. */
  @Column({ type: 'tsvector', select: false })
  search!: string;

  /** The start of the extracted text, for highlighted snippets. */
  @Column({ type: 'text' })
  excerpt!: string;

  /** AttachmentInfo[] of the message. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: unknown;

  @Column({ type: 'boolean', default: false })
  unindexedAttachments!: boolean;

  /** Headers decoded again from the blob in its declared charset, when that differs from the event's reading. */
  @Column({ type: 'jsonb', nullable: true })
  headers!: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  indexedAt!: Date;
}
