import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiSchema1764000000000 implements MigrationInterface {
  name = 'CreateApiSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "api"."tenant" (
        "id" uuid NOT NULL,
        "name" varchar(200) NOT NULL,
        "name_key" varchar(200) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "deleted_at" timestamptz,
        CONSTRAINT "pk_tenant" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_tenant_name_key_live" ON "api"."tenant" ("name_key") WHERE "deleted_at" IS NULL`,
    );
    await db.query(`
      CREATE TABLE "api"."api_key" (
        "id" uuid NOT NULL,
        "tenant_id" uuid,
        "name" varchar(200) NOT NULL,
        "role" varchar(16) NOT NULL,
        "key_prefix" varchar(32) NOT NULL,
        "key_hash" char(64) NOT NULL,
        "bootstrap" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_at" timestamptz,
        CONSTRAINT "pk_api_key" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "ux_api_key_hash" ON "api"."api_key" ("key_hash")`);
    await db.query(`CREATE INDEX "ix_api_key_tenant" ON "api"."api_key" ("tenant_id", "created_at")`);
    await db.query(`
      CREATE TABLE "api"."audit_entry" (
        "id" uuid NOT NULL,
        "chain" varchar(64) NOT NULL,
        "seq" bigint NOT NULL,
        "at" timestamptz NOT NULL,
        "actor_api_key_id" uuid,
        "actor_role" varchar(16),
        "tenant_id" uuid,
        "action" varchar(100) NOT NULL,
        "object_type" varchar(50) NOT NULL,
        "object_id" varchar(200),
        "outcome" varchar(16) NOT NULL,
        "status" smallint NOT NULL,
        "request_id" varchar(128) NOT NULL,
        "hash" char(64) NOT NULL,
        "previous_hash" char(64),
        CONSTRAINT "pk_audit_entry" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "ux_audit_entry_chain_seq" ON "api"."audit_entry" ("chain", "seq")`);
    await db.query(`CREATE INDEX "ix_audit_entry_tenant_at" ON "api"."audit_entry" ("tenant_id", "at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "api"."audit_entry"`);
    await db.query(`DROP TABLE "api"."api_key"`);
    await db.query(`DROP TABLE "api"."tenant"`);
  }
}
