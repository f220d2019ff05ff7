import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every address of every mailbox, primary and secondary, one row each. Its primary key makes an
 * address unique in a tenant across primary and secondary addresses, case-insensitively (SPEC D1):
 * the database decides, so two writers at once cannot both take one address.
 */
@Entity({ name: 'mailbox_address' })
@Index('ix_mailbox_address_mailbox', ['mailboxId'])
export class MailboxAddressEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_mailbox_address' })
  tenantId!: string;

  /** The address lower-cased. */
  @PrimaryColumn({ type: 'varchar', length: 320, primaryKeyConstraintName: 'pk_mailbox_address' })
  addressKey!: string;

  @Column({ type: 'uuid' })
  mailboxId!: string;

  @Column({ type: 'boolean' })
  isPrimary!: boolean;
}
