import { firstMigration, ID_COLUMN, TENANT_ID_COLUMN, TIMESTAMP_COLUMNS } from '@mailkeep/persistence';

export class CreateDirectorySchema1764100000000 extends firstMigration('directory', [
  {
    name: 'directory_service',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      name: 'varchar(200) NOT NULL',
      name_key: 'varchar(200) NOT NULL',
      description: "varchar(1000) NOT NULL DEFAULT ''",
      type: 'varchar(32) NOT NULL',
      settings: "jsonb NOT NULL DEFAULT '{}'",
      credentials_secret_id: 'uuid',
      last_sync: 'jsonb',
      ...TIMESTAMP_COLUMNS,
    },
    indexes: [
      { name: 'ux_directory_service_tenant_name', unique: true, columns: ['tenant_id', 'name_key'] },
      { name: 'ix_directory_service_tenant_secret', columns: ['tenant_id', 'credentials_secret_id'] },
    ],
  },
  {
    name: 'mailbox',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      primary_address: 'varchar(320) NOT NULL',
      address_key: 'varchar(320) NOT NULL',
      secondary_addresses: "jsonb NOT NULL DEFAULT '[]'",
      display_name: "varchar(256) NOT NULL DEFAULT ''",
      enabled: 'boolean NOT NULL DEFAULT true',
      origin: 'varchar(16) NOT NULL',
      directory_service_id: 'uuid',
      ...TIMESTAMP_COLUMNS,
    },
    indexes: [
      { name: 'ix_mailbox_tenant_address_key', columns: ['tenant_id', 'address_key', 'id'] },
      { name: 'ix_mailbox_tenant_directory_service', columns: ['tenant_id', 'directory_service_id', 'id'] },
    ],
  },
  {
    name: 'mailbox_address',
    columns: {
      ...TENANT_ID_COLUMN,
      address_key: 'varchar(320) NOT NULL',
      mailbox_id: 'uuid NOT NULL',
      is_primary: 'boolean NOT NULL',
    },
    primaryKey: ['tenant_id', 'address_key'],
    indexes: [{ name: 'ix_mailbox_address_mailbox', columns: ['mailbox_id'] }],
  },
]) {
  override name = 'CreateDirectorySchema1764100000000';
}
