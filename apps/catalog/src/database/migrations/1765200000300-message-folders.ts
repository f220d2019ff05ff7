import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 20: every folder or label of a message at the source (Gmail labels), SPEC §5 `folders`. */
export class MessageFolders1765200000300 implements MigrationInterface {
  name = 'MessageFolders1765200000300';

  async up(db: QueryRunner): Promise<void> {
    // Existing rows keep an empty list; the service answers `[folder]` for them.
    await db.query(`ALTER TABLE "catalog"."message" ADD "folders" text array NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "catalog"."message" DROP COLUMN "folders"`);
  }
}
