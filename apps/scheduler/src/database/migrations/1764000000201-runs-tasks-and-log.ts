import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 7 part 2: runs carry out their tasks — task rows, the run log, dispatch and finish state. */
export class RunsTasksAndLog1764000000201 implements MigrationInterface {
  name = 'RunsTasksAndLog1764000000201';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE "scheduler"."run"
        ADD COLUMN "dispatched" boolean NOT NULL DEFAULT false,
        ADD COLUMN "dispatch_cursor" varchar(512),
        ADD COLUMN "dispatch_lease_until" timestamptz,
        ADD COLUMN "tasks_finished" integer NOT NULL DEFAULT 0,
        ADD COLUMN "cancel_requested_at" timestamptz,
        ADD COLUMN "finish_published" boolean NOT NULL DEFAULT false,
        ADD COLUMN "setup_error" varchar(1000)`);
    // Runs that ended before this migration (skipped firings) have nothing left to publish.
    await db.query(`UPDATE "scheduler"."run" SET "finish_published" = true WHERE "finished_at" IS NOT NULL`);
    await db.query(
      `CREATE INDEX "ix_run_unfinished" ON "scheduler"."run" ("created_at")
       WHERE "status" IN ('queued', 'running') OR ("finished_at" IS NOT NULL AND NOT "finish_published")`,
    );
    await db.query(`
      CREATE TABLE "scheduler"."task" (
        "id" uuid NOT NULL,
        "run_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "mailbox_id" uuid NOT NULL,
        "status" varchar(20) NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "attempt_id" uuid,
        "past_attempt_ids" uuid array NOT NULL DEFAULT '{}',
        "past_counters" jsonb NOT NULL,
        "attempt_counters" jsonb NOT NULL,
        "last_error" varchar(1000),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz,
        CONSTRAINT "pk_task" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_task_run_mailbox" ON "scheduler"."task" ("run_id", "mailbox_id")`,
    );
    await db.query(`CREATE INDEX "ix_task_run_status" ON "scheduler"."task" ("run_id", "status", "id")`);
    await db.query(`
      CREATE TABLE "scheduler"."run_log" (
        "id" BIGSERIAL NOT NULL,
        "run_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        "severity" varchar(10) NOT NULL,
        "message" varchar(4000) NOT NULL,
        "mailbox_id" uuid,
        CONSTRAINT "pk_run_log" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "ix_run_log_run" ON "scheduler"."run_log" ("run_id", "id")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "scheduler"."run_log"`);
    await db.query(`DROP TABLE "scheduler"."task"`);
    await db.query(`DROP INDEX "scheduler"."ix_run_unfinished"`);
    await db.query(`
      ALTER TABLE "scheduler"."run"
        DROP COLUMN "dispatched",
        DROP COLUMN "dispatch_cursor",
        DROP COLUMN "dispatch_lease_until",
        DROP COLUMN "tasks_finished",
        DROP COLUMN "cancel_requested_at",
        DROP COLUMN "finish_published",
        DROP COLUMN "setup_error"`);
  }
}
