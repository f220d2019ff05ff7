import type { QueryRunner } from 'typeorm';
import { describe, expect, it } from 'vitest';
import {
  createTableStatements,
  firstMigration,
  ID_COLUMN,
  TENANT_ID_COLUMN,
  TIMESTAMP_COLUMNS,
  type TableDefinition,
} from './first-migration.js';

const note: TableDefinition = {
  name: 'note',
  columns: { ...ID_COLUMN, ...TENANT_ID_COLUMN, body: "text NOT NULL DEFAULT ''", ...TIMESTAMP_COLUMNS },
  indexes: [
    { name: 'ux_note_tenant_body', unique: true, columns: ['tenant_id', 'md5("body")'] },
    { name: 'ix_note_body_trgm', using: 'gin', columns: ['"body" public.gin_trgm_ops'] },
    { name: 'ix_note_recent', columns: ['created_at'], where: `"body" <> ''` },
  ],
};

const noteTag: TableDefinition = {
  name: 'note_tag',
  columns: { note_id: 'uuid NOT NULL', tag: 'varchar(40) NOT NULL' },
  primaryKey: ['note_id', 'tag'],
};

/** Records the statements a migration sends instead of running them. */
function recordingRunner(): { runner: QueryRunner; statements: string[] } {
  const statements: string[] = [];
  const runner = {
    query: (sql: string) => {
      statements.push(sql);
      return Promise.resolve([]);
    },
  } as unknown as QueryRunner;
  return { runner, statements };
}

describe('createTableStatements', () => {
  it('writes the table with its pk_ constraint, then each index: quoted names, expressions as given', () => {
    expect(createTableStatements('notes', note)).toEqual([
      'CREATE TABLE "notes"."note" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, ' +
        `"body" text NOT NULL DEFAULT '', "created_at" timestamptz NOT NULL DEFAULT now(), ` +
        '"updated_at" timestamptz NOT NULL DEFAULT now(), CONSTRAINT "pk_note" PRIMARY KEY ("id"))',
      'CREATE UNIQUE INDEX "ux_note_tenant_body" ON "notes"."note" ("tenant_id", md5("body"))',
      'CREATE INDEX "ix_note_body_trgm" ON "notes"."note" USING gin ("body" public.gin_trgm_ops)',
      `CREATE INDEX "ix_note_recent" ON "notes"."note" ("created_at") WHERE "body" <> ''`,
    ]);
  });

  it('uses the given primary key columns', () => {
    expect(createTableStatements('notes', noteTag)).toEqual([
      'CREATE TABLE "notes"."note_tag" ("note_id" uuid NOT NULL, "tag" varchar(40) NOT NULL, ' +
        'CONSTRAINT "pk_note_tag" PRIMARY KEY ("note_id", "tag"))',
    ]);
  });
});

describe('firstMigration', () => {
  class CreateNotes1760000000000 extends firstMigration('notes', [note, noteTag]) {
    override name = 'CreateNotes1760000000000';
  }

  it('creates the tables in order and drops them in reverse order', async () => {
    const up = recordingRunner();
    await new CreateNotes1760000000000().up(up.runner);
    expect(
      up.statements.filter((sql) => sql.startsWith('CREATE TABLE')).map((sql) => sql.split(' ')[2]),
    ).toEqual(['"notes"."note"', '"notes"."note_tag"']);
    expect(up.statements).toHaveLength(5);

    const down = recordingRunner();
    await new CreateNotes1760000000000().down(down.runner);
    expect(down.statements).toEqual(['DROP TABLE "notes"."note_tag"', 'DROP TABLE "notes"."note"']);
  });
});
