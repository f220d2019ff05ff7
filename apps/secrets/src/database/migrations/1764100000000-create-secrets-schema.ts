import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSecretsSchema1764100000000 implements MigrationInterface {
  name = 'CreateSecretsSchema1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "secrets"."secret" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "name" varchar(200) NOT NULL,
        "name_key" varchar(200) NOT NULL,
        "description" text,
        "type" varchar(32) NOT NULL,
        "username" varchar(500),
        "client_email" varchar(500),
        "certificate_pem" text,
        "certificate_subject" varchar(1000),
        "certificate_thumbprint" char(40),
        "certificate_not_before" timestamptz,
        "expires_at" timestamptz,
        "key_id" varchar(16) NOT NULL,
        "wrapped_key" bytea NOT NULL,
        "iv" bytea NOT NULL,
        "tag" bytea NOT NULL,
        "ciphertext" bytea NOT NULL,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "pk_secret" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_secret_tenant_id_name_key" ON "secrets"."secret" ("tenant_id", "name_key")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "secrets"."ux_secret_tenant_id_name_key"`);
    await db.query(`DROP TABLE "secrets"."secret"`);
  }
}
