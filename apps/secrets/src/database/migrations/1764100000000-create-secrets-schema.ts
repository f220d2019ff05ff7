import { firstMigration, ID_COLUMN, TENANT_ID_COLUMN } from '@mailkeep/persistence';

export class CreateSecretsSchema1764100000000 extends firstMigration('secrets', [
  {
    name: 'secret',
    columns: {
      ...ID_COLUMN,
      ...TENANT_ID_COLUMN,
      name: 'varchar(200) NOT NULL',
      name_key: 'varchar(200) NOT NULL',
      description: 'text',
      type: 'varchar(32) NOT NULL',
      username: 'varchar(500)',
      client_email: 'varchar(500)',
      certificate_pem: 'text',
      certificate_subject: 'varchar(1000)',
      certificate_thumbprint: 'char(40)',
      certificate_not_before: 'timestamptz',
      expires_at: 'timestamptz',
      key_id: 'varchar(16) NOT NULL',
      wrapped_key: 'bytea NOT NULL',
      iv: 'bytea NOT NULL',
      tag: 'bytea NOT NULL',
      ciphertext: 'bytea NOT NULL',
      created_at: 'timestamptz NOT NULL',
      updated_at: 'timestamptz NOT NULL',
    },
    indexes: [{ name: 'ux_secret_tenant_id_name_key', unique: true, columns: ['tenant_id', 'name_key'] }],
  },
]) {
  override name = 'CreateSecretsSchema1764100000000';
}
