import { createTestDatabase, type TestDatabase } from '@mailkeep/testing';
import pg from 'pg';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  type DataSource,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from './data-source.js';
import { runMigrations } from './migrations.js';
import { assertNoSchemaDrift, findSchemaDrift, SchemaDriftError } from './schema-drift.js';

const SCHEMA = 'drift';

@Entity()
@Index(['tenantId', 'address'], { unique: true })
class Mailbox {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  address!: string;

  @Column({ type: 'text', nullable: true })
  displayName!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity()
class MailboxFolder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => Mailbox, { nullable: false, onDelete: 'CASCADE' })
  mailbox!: Mailbox;

  @Column({ type: 'text' })
  folderPath!: string;
}

/** {@link Mailbox} as it would look after someone added a column but wrote no migration for it. */
@Entity({ name: 'mailbox' })
@Index(['tenantId', 'address'], { unique: true })
class MailboxWithExtraColumn {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  address!: string;

  @Column({ type: 'text', nullable: true })
  displayName!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;
}

/** Written the way a generated-then-edited migration looks, with the names SnakeNamingStrategy gives. */
class CreateMailboxes1700000000000 implements MigrationInterface {
  readonly name = 'CreateMailboxes1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "drift"."mailbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "address" text NOT NULL, "display_name" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_mailbox" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_mailbox_address_tenant_id" ON "drift"."mailbox" ("tenant_id", "address")`,
    );
    await queryRunner.query(
      `CREATE TABLE "drift"."mailbox_folder" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "folder_path" text NOT NULL, "mailbox_id" uuid NOT NULL, CONSTRAINT "pk_mailbox_folder" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "drift"."mailbox_folder" ADD CONSTRAINT "fk_mailbox_folder_mailbox_id" FOREIGN KEY ("mailbox_id") REFERENCES "drift"."mailbox"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "drift"."mailbox_folder"`);
    await queryRunner.query(`DROP TABLE "drift"."mailbox"`);
  }
}

let database: TestDatabase;
let migrated: DataSource;

beforeAll(async () => {
  database = await createTestDatabase('persistence_drift');
  migrated = createDataSource({
    url: database.url,
    schema: SCHEMA,
    entities: [Mailbox, MailboxFolder],
    migrations: [CreateMailboxes1700000000000],
  });
  await runMigrations(migrated);
});

afterAll(async () => {
  if (migrated.isInitialized) await migrated.destroy();
  await database.drop();
});

describe('findSchemaDrift', () => {
  it('finds nothing when the entities match their migrations', async () => {
    await expect(findSchemaDrift(migrated)).resolves.toEqual([]);
    await expect(assertNoSchemaDrift(migrated)).resolves.toBeUndefined();
  });

  it('lists the statement a missing migration would need when an entity has an extra column', async () => {
    const drifted = createDataSource({
      url: database.url,
      schema: SCHEMA,
      entities: [MailboxWithExtraColumn],
      migrations: [],
    });
    await drifted.initialize();
    try {
      const drift = await findSchemaDrift(drifted);
      expect(drift).toEqual([`ALTER TABLE "drift"."mailbox" ADD "archived_at" TIMESTAMP WITH TIME ZONE`]);

      const error: unknown = await assertNoSchemaDrift(drifted).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(SchemaDriftError);
      expect((error as SchemaDriftError).queries).toEqual(drift);
      expect((error as SchemaDriftError).message).toContain('ADD "archived_at"');
    } finally {
      await drifted.destroy();
    }
  });

  it('refuses a DataSource that is not initialised', async () => {
    const idle = createDataSource({ url: database.url, schema: SCHEMA, entities: [Mailbox], migrations: [] });
    await expect(findSchemaDrift(idle)).rejects.toThrow(/initialised/);
  });
});

describe('SnakeNamingStrategy on a real database', () => {
  it('maps entities, columns, join columns and indexes to snake_case names', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const columns = await client.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'migrations' ORDER BY table_name, ordinal_position`,
        [SCHEMA],
      );
      expect(columns.rows.map((row) => `${row.table_name}.${row.column_name}`)).toEqual([
        'mailbox.id',
        'mailbox.tenant_id',
        'mailbox.address',
        'mailbox.display_name',
        'mailbox.created_at',
        'mailbox_folder.id',
        'mailbox_folder.folder_path',
        'mailbox_folder.mailbox_id',
      ]);
    } finally {
      await client.end();
    }

    // The metadata TypeORM queries with agrees with what the migration created.
    const mailbox = migrated.getMetadata(Mailbox);
    expect(mailbox.tablePath).toBe('drift.mailbox');
    expect(mailbox.indices.map((index) => index.name)).toEqual(['idx_mailbox_address_tenant_id']);
    const folder = migrated.getMetadata(MailboxFolder);
    expect(folder.foreignKeys.map((fk) => [fk.name, fk.columnNames])).toEqual([
      ['fk_mailbox_folder_mailbox_id', ['mailbox_id']],
    ]);

    // And entities round-trip through those names.
    const saved = await migrated
      .getRepository(Mailbox)
      .save({ tenantId: crypto.randomUUID(), address: 'a@example.test', displayName: null });
    await migrated.getRepository(MailboxFolder).save({ mailbox: saved, folderPath: 'INBOX' });
    const found = await migrated
      .getRepository(MailboxFolder)
      .findOneOrFail({ where: { mailbox: { id: saved.id } }, relations: { mailbox: true } });
    expect(found.mailbox.address).toBe('a@example.test');
  });
});
