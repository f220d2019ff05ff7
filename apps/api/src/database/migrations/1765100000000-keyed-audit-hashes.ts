import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Entries sealed before the audit key existed keep `sha256`; new ones are `hmac-sha256`. */
export class KeyedAuditHashes1765100000000 implements MigrationInterface {
  name = 'KeyedAuditHashes1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "api"."audit_entry" ADD "hash_alg" varchar(16) NOT NULL DEFAULT 'sha256'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "api"."audit_entry" DROP COLUMN "hash_alg"`);
  }
}
