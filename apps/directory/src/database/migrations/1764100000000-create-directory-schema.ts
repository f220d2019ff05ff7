import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDirectorySchema1764100000000 implements MigrationInterface {
  name = 'CreateDirectorySchema1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "directory"."directory_service" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "name" varchar(200) NOT NULL,
        "name_key" varchar(200) NOT NULL,
        "description" varchar(1000) NOT NULL DEFAULT '',
        "type" varchar(32) NOT NULL,
        "settings" jsonb NOT NULL DEFAULT '{}',
        "credentials_secret_id" uuid,
        "last_sync" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_directory_service" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_directory_service_tenant_name" ON "directory"."directory_service" ("tenant_id", "name_key")`,
    );
    await db.query(
      `CREATE INDEX "ix_directory_service_tenant_secret" ON "directory"."directory_service" ("tenant_id", "credentials_secret_id")`,
    );
    await db.query(`
      CREATE TABLE "directory"."mailbox" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "primary_address" varchar(320) NOT NULL,
        "address_key" varchar(320) NOT NULL,
        "secondary_addresses" jsonb NOT NULL DEFAULT '[]',
        "display_name" varchar(256) NOT NULL DEFAULT '',
        "enabled" boolean NOT NULL DEFAULT true,
        "origin" varchar(16) NOT NULL,
        "directory_service_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_mailbox" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE INDEX "ix_mailbox_tenant_address_key" ON "directory"."mailbox" ("tenant_id", "address_key", "id")`,
    );
    await db.query(
      `CREATE INDEX "ix_mailbox_tenant_directory_service" ON "directory"."mailbox" ("tenant_id", "directory_service_id", "id")`,
    );
    await db.query(`
      CREATE TABLE "directory"."mailbox_address" (
        "tenant_id" uuid NOT NULL,
        "address_key" varchar(320) NOT NULL,
        "mailbox_id" uuid NOT NULL,
        "is_primary" boolean NOT NULL,
        CONSTRAINT "pk_mailbox_address" PRIMARY KEY ("tenant_id", "address_key")
      )`);
    await db.query(
      `CREATE INDEX "ix_mailbox_address_mailbox" ON "directory"."mailbox_address" ("mailbox_id")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "directory"."mailbox_address"`);
    await db.query(`DROP TABLE "directory"."mailbox"`);
    await db.query(`DROP TABLE "directory"."directory_service"`);
  }
}
