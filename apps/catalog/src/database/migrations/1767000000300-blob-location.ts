import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 24: small messages are stored in segments; the catalog holds where (decision 0020). No
 * row for a blob means its own object, so archives from before need no rewrite.
 */
export class BlobLocation1767000000300 implements MigrationInterface {
  name = 'BlobLocation1767000000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "catalog"."blob_location" (
        "tenant_id" uuid NOT NULL,
        "sha256" varchar(64) NOT NULL,
        "segment_id" uuid NOT NULL,
        "segment_offset" bigint NOT NULL,
        "size" bigint NOT NULL,
        CONSTRAINT "pk_blob_location" PRIMARY KEY ("tenant_id", "sha256")
      )`);
    // A damaged segment's messages, and later its compaction, are found by segment.
    await db.query(
      `CREATE INDEX "ix_blob_location_segment" ON "catalog"."blob_location" ("tenant_id", "segment_id")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "catalog"."blob_location"`);
  }
}
