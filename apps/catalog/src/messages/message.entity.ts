import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';

/**
 * One archived message of one mailbox (SPEC A3). Several rows may share a blob (the same content
 * in several folders or mailboxes); the blob itself is stored once per tenant.
 */
@Entity({ name: 'message' })
// A3 idempotency: one row per (tenant, mailbox, source identity), whatever is redelivered.
@Index('ux_message_source', ['tenantId', 'mailboxId', 'sourceKey'], { unique: true })
// Browsing newest first, across the tenant or one mailbox (keyset pages on (sort_at, id)); date
// ranges too (sort_at is the date wherever there is one).
@Index('ix_message_tenant_sort', ['tenantId', 'sortAt', 'id'])
@Index('ix_message_mailbox_sort', ['tenantId', 'mailboxId', 'sortAt', 'id'])
// Distinct blobs of a tenant (integrity checks) and same-content lookups (rescans).
@Index('ix_message_tenant_sha256', ['tenantId', 'sha256'])
// On md5(folder): a folder path may be longer than a btree entry allows. Created in the migration.
@Index('ix_message_folder_sort', { synchronize: false })
// GIN indexes (full text, address arrays): created in the migration.
@Index('ix_message_search', { synchronize: false })
@Index('ix_message_from_addresses', { synchronize: false })
@Index('ix_message_recipient_addresses', { synchronize: false })
// The text indexer's queue (partial: only messages waiting for their text). Created in the migration.
@Index('ix_message_text_queue', { synchronize: false })
export class MessageEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_message' })
  id!: string;

  @Column({ type: 'uuid' })
  mailboxId!: string;

  /** SHA-256 (hex) of the source identity: a fixed-size unique key whatever the identity's length. */
  @Column({ type: 'varchar', length: 64 })
  sourceKey!: string;

  @Column({ type: 'varchar', length: 2000 })
  sourceIdentity!: string;

  @Column({ type: 'varchar', length: 2000 })
  folder!: string;

  /** Every folder or label of the message at the source, `folder` first (Gmail labels). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  folders!: string[];

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** bigint: messages above 2 GiB exist in theory; pg returns it as a string. */
  @Column({ type: 'bigint' })
  size!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  messageId!: string | null;

  @Column({ type: 'varchar', length: 4000, nullable: true })
  subject!: string | null;

  @Column({ type: 'varchar', length: 4000, nullable: true })
  fromHeader!: string | null;

  @Column({ type: 'text', nullable: true })
  toHeader!: string | null;

  @Column({ type: 'text', nullable: true })
  ccHeader!: string | null;

  /** Lower-cased From addresses: the exact `from` filter. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  fromAddresses!: string[];

  /** Lower-cased To and Cc addresses: the exact `to` filter. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  recipientAddresses!: string[];

  /** Lower-cased From names and addresses, one per line: the partial `from` filter. */
  @Column({ type: 'text', default: '' })
  fromSearch!: string;

  /** Lower-cased To and Cc names and addresses, one per line: the partial `to` filter. */
  @Column({ type: 'text', default: '' })
  recipientSearch!: string;

  /** The Date header; null when absent or unparseable. */
  @Column({ type: 'timestamptz', nullable: true })
  date!: Date | null;

  /** `date`, or `archived_at` without one: the order of the lists. */
  @Column({ type: 'timestamptz' })
  sortAt!: Date;

  @Column({ type: 'timestamptz' })
  archivedAt!: Date;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'uuid' })
  taskId!: string;

  /**
   * Full text (`simple` configuration): subject, names and addresses (weight A) at insert; body and
   * attachments' text (weight D) added by the text indexer. Never selected.
   */
  @Column({ type: 'tsvector', select: false })
  search!: string;

  /**
   * Where the message's text is: 0 waiting for the text indexer, -2 its blob could not be read
   * (headers only); a positive number is the extractor version that indexed it.
   */
  @Column({ type: 'smallint', default: 0 })
  textState!: number;

  /** Some attachment that should have text could not be extracted (the `unindexed` filter). */
  @Column({ type: 'boolean', default: false })
  unindexedAttachments!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
