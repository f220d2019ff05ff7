import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Synced directory services (SPEC D3, D4): a service's disableMissing setting, and on a mailbox the
 * id of the source entry it was synced from (the Entra ID user id for m365), so a user whose
 * address changes stays the same mailbox.
 */
export class AddDirectorySync1765100000000 implements MigrationInterface {
  name = 'AddDirectorySync1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE "directory"."directory_service" ADD "disable_missing" boolean NOT NULL DEFAULT false`,
    );
    await db.query(`ALTER TABLE "directory"."mailbox" ADD "external_id" varchar(200)`);
    await db.query(
      `CREATE UNIQUE INDEX "ux_mailbox_service_external_id" ON "directory"."mailbox" ("tenant_id", "directory_service_id", "external_id") WHERE "external_id" IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "directory"."ux_mailbox_service_external_id"`);
    await db.query(`ALTER TABLE "directory"."mailbox" DROP COLUMN "external_id"`);
    await db.query(`ALTER TABLE "directory"."directory_service" DROP COLUMN "disable_missing"`);
  }
}
