import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSchedulerSchema1764000000200 implements MigrationInterface {
  name = 'CreateSchedulerSchema1764000000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "scheduler"."schedule" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "name" varchar(200) NOT NULL,
        "name_key" varchar(200) NOT NULL,
        "target_kind" varchar(30) NOT NULL,
        "profile_id" uuid NOT NULL,
        "enabled" boolean NOT NULL,
        "timezone" varchar(100) NOT NULL,
        "recurrence" jsonb NOT NULL,
        "anchor_at" timestamptz NOT NULL,
        "next_fire_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_schedule" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_schedule_tenant_name_key" ON "scheduler"."schedule" ("tenant_id", "name_key")`,
    );
    await db.query(
      `CREATE INDEX "ix_schedule_tenant_created" ON "scheduler"."schedule" ("tenant_id", "created_at", "id")`,
    );
    await db.query(
      `CREATE INDEX "ix_schedule_tenant_profile" ON "scheduler"."schedule" ("tenant_id", "profile_id")`,
    );
    await db.query(
      `CREATE INDEX "ix_schedule_due" ON "scheduler"."schedule" ("next_fire_at") WHERE "next_fire_at" IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE "scheduler"."run" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "schedule_id" uuid NOT NULL,
        "profile_id" uuid NOT NULL,
        "trigger" varchar(20) NOT NULL,
        "status" varchar(30) NOT NULL,
        "slot_at" timestamptz,
        "skipped_for_run_id" uuid,
        "mailboxes_total" integer NOT NULL DEFAULT 0,
        "mailboxes_succeeded" integer NOT NULL DEFAULT 0,
        "mailboxes_failed" integer NOT NULL DEFAULT 0,
        "messages_archived" integer NOT NULL DEFAULT 0,
        "duplicates_skipped" integer NOT NULL DEFAULT 0,
        "messages_failed" integer NOT NULL DEFAULT 0,
        "bytes_archived" bigint NOT NULL DEFAULT 0,
        "started_at" timestamptz,
        "finished_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_run" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE INDEX "ix_run_tenant_created" ON "scheduler"."run" ("tenant_id", "created_at", "id")`,
    );
    await db.query(`CREATE INDEX "ix_run_tenant_profile" ON "scheduler"."run" ("tenant_id", "profile_id")`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_run_active_profile" ON "scheduler"."run" ("tenant_id", "profile_id")
       WHERE "status" IN ('queued', 'running')`,
    );
    await db.query(
      `CREATE UNIQUE INDEX "ux_run_schedule_slot" ON "scheduler"."run" ("schedule_id", "slot_at")
       WHERE "slot_at" IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "scheduler"."run"`);
    await db.query(`DROP TABLE "scheduler"."schedule"`);
  }
}
