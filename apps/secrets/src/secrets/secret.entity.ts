import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { TenantScoped } from '@mailkeep/persistence';
import type { SecretType } from '@mailkeep/contracts';

@Entity({ name: 'secret' })
// Names are unique per tenant case-insensitively: the index on lower(name) decides, not a lookup.
@Index('ux_secret_tenant_id_name_key', ['tenantId', 'nameKey'], { unique: true })
export class SecretEntity extends TenantScoped {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_secret' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** lower(name): what uniqueness, ordering and search compare. */
  @Column({ type: 'varchar', length: 200 })
  nameKey!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 32 })
  type!: SecretType;

  /** `basic`: not sensitive, shown. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  username!: string | null;

  /** `google-service-account`: not sensitive, shown. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  clientEmail!: string | null;

  /** `certificate`: the public certificate (downloadable, SPEC S3). */
  @Column({ type: 'text', nullable: true })
  certificatePem!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  certificateSubject!: string | null;

  @Column({ type: 'char', length: 40, nullable: true })
  certificateThumbprint!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  certificateNotBefore!: Date | null;

  /** A certificate's notAfter or a client secret's expiry (SPEC S8). */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  // The envelope (SPEC S6). Never selected by default: only resolve, update and rotation ask.
  @Column({ type: 'varchar', length: 16, select: false })
  keyId!: string;

  @Column({ type: 'bytea', select: false })
  wrappedKey!: Buffer;

  @Column({ type: 'bytea', select: false })
  iv!: Buffer;

  @Column({ type: 'bytea', select: false })
  tag!: Buffer;

  @Column({ type: 'bytea', select: false })
  ciphertext!: Buffer;

  /** Set by the service in JS (millisecond precision). */
  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
