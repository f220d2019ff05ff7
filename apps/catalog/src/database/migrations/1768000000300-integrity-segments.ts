import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 24: integrity checks read segments whole; a segment whose trailer, index or checksum is
 * damaged while every message the catalog places in it still hashes is a finding of its own.
 */
export class IntegritySegments1768000000300 implements MigrationInterface {
  name = 'IntegritySegments1768000000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE "catalog"."integrity_check" ADD "damaged_segment_count" integer NOT NULL DEFAULT 0`,
    );
    await db.query(`
      CREATE TABLE "catalog"."integrity_segment_finding" (
        "check_id" uuid NOT NULL,
        "segment_id" uuid NOT NULL,
        "problem" varchar(20) NOT NULL,
        CONSTRAINT "pk_integrity_segment_finding" PRIMARY KEY ("check_id", "segment_id")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "catalog"."integrity_segment_finding"`);
    await db.query(`ALTER TABLE "catalog"."integrity_check" DROP COLUMN "damaged_segment_count"`);
  }
}
