import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 23: full text over bodies and attachments. Every message already archived starts
 * `text_state = 0` (waiting for the text indexer), so the indexer backfills old archives by
 * itself; the full text GIN index leads with the tenant (btree_gin), so a query scans only its
 * tenant's postings.
 */
export class MessageTextIndex1766000000300 implements MigrationInterface {
  name = 'MessageTextIndex1766000000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await db.query(`ALTER TABLE "catalog"."message" ADD "text_state" smallint NOT NULL DEFAULT 0`);
    await db.query(
      `ALTER TABLE "catalog"."message" ADD "unindexed_attachments" boolean NOT NULL DEFAULT false`,
    );
    await db.query(
      `CREATE INDEX "ix_message_text_queue" ON "catalog"."message" ("created_at") WHERE "text_state" = 0`,
    );
    await db.query(`DROP INDEX "catalog"."ix_message_search"`);
    await db.query(
      `CREATE INDEX "ix_message_search" ON "catalog"."message" USING gin ("tenant_id", "search")`,
    );
    await db.query(`
      CREATE TABLE "catalog"."message_content" (
        "tenant_id" uuid NOT NULL,
        "sha256" varchar(64) NOT NULL,
        "extractor_version" smallint NOT NULL,
        "search" tsvector NOT NULL,
        "excerpt" text NOT NULL,
        "attachments" jsonb NOT NULL DEFAULT '[]',
        "unindexed_attachments" boolean NOT NULL DEFAULT false,
        "headers" jsonb,
        "indexed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_message_content" PRIMARY KEY ("tenant_id", "sha256")
      )`);
    await db.query(`
      CREATE TABLE "catalog"."text_reindex" (
        "tenant_id" uuid NOT NULL,
        "status" varchar(20) NOT NULL,
        "total" integer NOT NULL DEFAULT 0,
        "done" integer NOT NULL DEFAULT 0,
        "position" varchar(64),
        "requested_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz,
        CONSTRAINT "pk_text_reindex" PRIMARY KEY ("tenant_id")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "catalog"."text_reindex"`);
    await db.query(`DROP TABLE "catalog"."message_content"`);
    await db.query(`DROP INDEX "catalog"."ix_message_search"`);
    await db.query(`CREATE INDEX "ix_message_search" ON "catalog"."message" USING gin ("search")`);
    await db.query(`DROP INDEX "catalog"."ix_message_text_queue"`);
    await db.query(`ALTER TABLE "catalog"."message" DROP COLUMN "unindexed_attachments"`);
    await db.query(`ALTER TABLE "catalog"."message" DROP COLUMN "text_state"`);
  }
}
