import { firstMigration, ID_COLUMN, TENANT_ID_COLUMN } from '@mailkeep/persistence';

/** Issue 8: the archive catalog (A3, A4) and integrity checks. */
export class CreateCatalogSchema1764000000300 extends firstMigration('catalog', [
  {
    name: 'message',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      mailbox_id: 'uuid NOT NULL',
      source_key: 'varchar(64) NOT NULL',
      source_identity: 'varchar(2000) NOT NULL',
      folder: 'varchar(2000) NOT NULL',
      sha256: 'varchar(64) NOT NULL',
      size: 'bigint NOT NULL',
      message_id: 'varchar(1000)',
      subject: 'varchar(4000)',
      from_header: 'varchar(4000)',
      to_header: 'text',
      cc_header: 'text',
      from_addresses: "text array NOT NULL DEFAULT '{}'",
      recipient_addresses: "text array NOT NULL DEFAULT '{}'",
      from_search: "text NOT NULL DEFAULT ''",
      recipient_search: "text NOT NULL DEFAULT ''",
      date: 'timestamptz',
      sort_at: 'timestamptz NOT NULL',
      archived_at: 'timestamptz NOT NULL',
      run_id: 'uuid NOT NULL',
      task_id: 'uuid NOT NULL',
      search: 'tsvector NOT NULL',
      created_at: 'timestamptz NOT NULL DEFAULT now()',
    },
    indexes: [
      { name: 'ux_message_source', unique: true, columns: ['tenant_id', 'mailbox_id', 'source_key'] },
      { name: 'ix_message_tenant_sort', columns: ['tenant_id', 'sort_at', 'id'] },
      { name: 'ix_message_mailbox_sort', columns: ['tenant_id', 'mailbox_id', 'sort_at', 'id'] },
      { name: 'ix_message_tenant_sha256', columns: ['tenant_id', 'sha256'] },
      {
        name: 'ix_message_folder_sort',
        columns: ['tenant_id', 'mailbox_id', 'md5("folder")', 'sort_at', 'id'],
      },
      { name: 'ix_message_search', using: 'gin', columns: ['search'] },
      { name: 'ix_message_from_addresses', using: 'gin', columns: ['from_addresses'] },
      { name: 'ix_message_recipient_addresses', using: 'gin', columns: ['recipient_addresses'] },
    ],
  },
  {
    name: 'integrity_check',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      status: 'varchar(20) NOT NULL',
      total: 'integer NOT NULL DEFAULT 0',
      checked: 'integer NOT NULL DEFAULT 0',
      mismatch_count: 'integer NOT NULL DEFAULT 0',
      missing_count: 'integer NOT NULL DEFAULT 0',
      position: 'varchar(64)',
      error: 'varchar(1000)',
      started_at: 'timestamptz NOT NULL DEFAULT now()',
      finished_at: 'timestamptz',
      owner: 'uuid',
      heartbeat_at: 'timestamptz NOT NULL DEFAULT now()',
    },
    indexes: [
      { name: 'ix_integrity_check_tenant', columns: ['tenant_id', 'started_at'] },
      {
        name: 'ux_integrity_check_running',
        unique: true,
        columns: ['tenant_id'],
        where: '"status" = \'running\'',
      },
    ],
  },
  {
    name: 'integrity_finding',
    columns: {
      check_id: 'uuid NOT NULL',
      sha256: 'varchar(64) NOT NULL',
      kind: 'varchar(20) NOT NULL',
      expected_size: 'bigint NOT NULL',
      actual_sha256: 'varchar(64)',
      actual_size: 'bigint',
    },
    primaryKey: ['check_id', 'sha256'],
  },
]) {
  override name = 'CreateCatalogSchema1764000000300';
}
