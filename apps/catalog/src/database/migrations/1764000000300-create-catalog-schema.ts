import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 8: the archive catalog (A3, A4) and integrity checks. */
export class CreateCatalogSchema1764000000300 implements MigrationInterface {
  name = 'CreateCatalogSchema1764000000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "catalog"."message" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "mailbox_id" uuid NOT NULL,
        "source_key" varchar(64) NOT NULL,
        "source_identity" varchar(2000) NOT NULL,
        "folder" varchar(2000) NOT NULL,
        "sha256" varchar(64) NOT NULL,
        "size" bigint NOT NULL,
        "message_id" varchar(1000),
        "subject" varchar(4000),
        "from_header" varchar(4000),
        "to_header" text,
        "cc_header" text,
        "from_addresses" text array NOT NULL DEFAULT '{}',
        "recipient_addresses" text array NOT NULL DEFAULT '{}',
        "from_search" text NOT NULL DEFAULT '',
        "recipient_search" text NOT NULL DEFAULT '',
        "date" timestamptz,
        "sort_at" timestamptz NOT NULL,
        "archived_at" timestamptz NOT NULL,
        "run_id" uuid NOT NULL,
        "task_id" uuid NOT NULL,
        "search" tsvector NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_message" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_message_source" ON "catalog"."message" ("tenant_id", "mailbox_id", "source_key")`,
    );
    await db.query(
      `CREATE INDEX "ix_message_tenant_sort" ON "catalog"."message" ("tenant_id", "sort_at", "id")`,
    );
    await db.query(
      `CREATE INDEX "ix_message_mailbox_sort" ON "catalog"."message" ("tenant_id", "mailbox_id", "sort_at", "id")`,
    );
    await db.query(`CREATE INDEX "ix_message_tenant_sha256" ON "catalog"."message" ("tenant_id", "sha256")`);
    await db.query(
      `CREATE INDEX "ix_message_folder_sort" ON "catalog"."message" ("tenant_id", "mailbox_id", md5("folder"), "sort_at", "id")`,
    );
    await db.query(`CREATE INDEX "ix_message_search" ON "catalog"."message" USING gin ("search")`);
    await db.query(
      `CREATE INDEX "ix_message_from_addresses" ON "catalog"."message" USING gin ("from_addresses")`,
    );
    await db.query(
      `CREATE INDEX "ix_message_recipient_addresses" ON "catalog"."message" USING gin ("recipient_addresses")`,
    );
    await db.query(`
      CREATE TABLE "catalog"."integrity_check" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "status" varchar(20) NOT NULL,
        "total" integer NOT NULL DEFAULT 0,
        "checked" integer NOT NULL DEFAULT 0,
        "mismatch_count" integer NOT NULL DEFAULT 0,
        "missing_count" integer NOT NULL DEFAULT 0,
        "position" varchar(64),
        "error" varchar(1000),
        "started_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz,
        "owner" uuid,
        "heartbeat_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_integrity_check" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE INDEX "ix_integrity_check_tenant" ON "catalog"."integrity_check" ("tenant_id", "started_at")`,
    );
    await db.query(
      `CREATE UNIQUE INDEX "ux_integrity_check_running" ON "catalog"."integrity_check" ("tenant_id")
       WHERE "status" = 'running'`,
    );
    await db.query(`
      CREATE TABLE "catalog"."integrity_finding" (
        "check_id" uuid NOT NULL,
        "sha256" varchar(64) NOT NULL,
        "kind" varchar(20) NOT NULL,
        "expected_size" bigint NOT NULL,
        "actual_sha256" varchar(64),
        "actual_size" bigint,
        CONSTRAINT "pk_integrity_finding" PRIMARY KEY ("check_id", "sha256")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "catalog"."integrity_finding"`);
    await db.query(`DROP TABLE "catalog"."integrity_check"`);
    await db.query(`DROP TABLE "catalog"."message"`);
  }
}
