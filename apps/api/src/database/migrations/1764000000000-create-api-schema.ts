import { firstMigration, ID_COLUMN, TIMESTAMP_COLUMNS } from '@mailkeep/persistence';

export class CreateApiSchema1764000000000 extends firstMigration('api', [
  {
    name: 'tenant',
    columns: {
      ...ID_COLUMN,
      name: 'varchar(200) NOT NULL',
      name_key: 'varchar(200) NOT NULL',
      ...TIMESTAMP_COLUMNS,
      deleted_at: 'timestamptz',
    },
    indexes: [
      { name: 'ux_tenant_name_key_live', unique: true, columns: ['name_key'], where: '"deleted_at" IS NULL' },
    ],
  },
  {
    name: 'api_key',
    columns: {
      ...ID_COLUMN,
      tenant_id: 'uuid',
      name: 'varchar(200) NOT NULL',
      role: 'varchar(16) NOT NULL',
      key_prefix: 'varchar(32) NOT NULL',
      key_hash: 'char(64) NOT NULL',
      bootstrap: 'boolean NOT NULL DEFAULT false',
      created_at: 'timestamptz NOT NULL DEFAULT now()',
      revoked_at: 'timestamptz',
    },
    indexes: [
      { name: 'ux_api_key_hash', unique: true, columns: ['key_hash'] },
      { name: 'ix_api_key_tenant', columns: ['tenant_id', 'created_at'] },
    ],
  },
  {
    name: 'audit_entry',
    columns: {
      ...ID_COLUMN,
      chain: 'varchar(64) NOT NULL',
      seq: 'bigint NOT NULL',
      at: 'timestamptz NOT NULL',
      actor_api_key_id: 'uuid',
      actor_role: 'varchar(16)',
      tenant_id: 'uuid',
      action: 'varchar(100) NOT NULL',
      object_type: 'varchar(50) NOT NULL',
      object_id: 'varchar(200)',
      outcome: 'varchar(16) NOT NULL',
      status: 'smallint NOT NULL',
      request_id: 'varchar(128) NOT NULL',
      hash: 'char(64) NOT NULL',
      previous_hash: 'char(64)',
    },
    indexes: [
      { name: 'ux_audit_entry_chain_seq', unique: true, columns: ['chain', 'seq'] },
      { name: 'ix_audit_entry_tenant_at', columns: ['tenant_id', 'at'] },
    ],
  },
]) {
  override name = 'CreateApiSchema1764000000000';
}
