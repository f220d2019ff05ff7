import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProfilesSchema1764000000100 implements MigrationInterface {
  name = 'CreateProfilesSchema1764000000100';

  async up(db: QueryRunner): Promise<void> {
    // pg_trgm makes "name includes" an index scan instead of a sequential scan (P1 at 100,000 profiles).
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`
      CREATE TABLE "profiles"."profile" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "name" varchar(200) NOT NULL,
        "name_key" varchar(200) NOT NULL,
        "type" varchar(20) NOT NULL,
        "mode" varchar(10) NOT NULL,
        "credentials_secret_id" uuid NOT NULL,
        "mailbox_id" uuid,
        "directory_service_id" uuid,
        "delete_in_source" boolean NOT NULL DEFAULT false,
        "settings" jsonb NOT NULL,
        "version" integer NOT NULL DEFAULT 1,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_profile" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_profile_tenant_name_key" ON "profiles"."profile" ("tenant_id", "name_key")`,
    );
    await db.query(
      `CREATE INDEX "ix_profile_tenant_created" ON "profiles"."profile" ("tenant_id", "created_at", "id")`,
    );
    await db.query(
      `CREATE INDEX "ix_profile_tenant_secret" ON "profiles"."profile" ("tenant_id", "credentials_secret_id")`,
    );
    await db.query(
      `CREATE INDEX "ix_profile_tenant_mailbox" ON "profiles"."profile" ("tenant_id", "mailbox_id")`,
    );
    await db.query(
      `CREATE INDEX "ix_profile_tenant_directory" ON "profiles"."profile" ("tenant_id", "directory_service_id")`,
    );
    await db.query(
      `CREATE INDEX "ix_profile_name_key_trgm" ON "profiles"."profile" USING gin ("name_key" public.gin_trgm_ops)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "profiles"."profile"`);
  }
}
