import { createTestDatabase, waitFor, type TestDatabase } from '@mailkeep/testing';
import pg from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from './data-source.js';
import { migrate } from './migrate.js';
import { migrationLockKey, revertLastMigration, runMigrations } from './migrations.js';
import type { MigrationClass } from './service-schema.js';

/** `"<schema>"."<table>"` for the schema the running DataSource is bound to. */
function table(queryRunner: QueryRunner, name: string): string {
  return `${pg.escapeIdentifier(queryRunner.connection.driver.schema ?? 'public')}.${pg.escapeIdentifier(name)}`;
}

/** Records every execution in `side_effect`, which has no unique key, so a second run would show up as a second row. */
async function recordRun(queryRunner: QueryRunner, migration: string): Promise<void> {
  await queryRunner.query(`INSERT INTO ${table(queryRunner, 'side_effect')} (migration) VALUES ($1)`, [
    migration,
  ]);
}

class CreateSideEffect1700000000001 implements MigrationInterface {
  readonly name = 'CreateSideEffect1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE ${table(queryRunner, 'side_effect')} (id serial PRIMARY KEY, migration text NOT NULL)`,
    );
    await recordRun(queryRunner, this.name);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${table(queryRunner, 'side_effect')}`);
  }
}

class AddSecondRow1700000000002 implements MigrationInterface {
  readonly name = 'AddSecondRow1700000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await recordRun(queryRunner, this.name);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM ${table(queryRunner, 'side_effect')} WHERE migration = $1`, [
      this.name,
    ]);
  }
}

class Broken1700000000003 implements MigrationInterface {
  readonly name = 'Broken1700000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await recordRun(queryRunner, this.name);
    await queryRunner.query('SELECT no_such_function()');
  }

  async down(): Promise<void> {
    // Never applied.
  }
}

const MIGRATIONS: MigrationClass[] = [CreateSideEffect1700000000001, AddSecondRow1700000000002];

let database: TestDatabase;
let admin: pg.Client;
const dataSources: DataSource[] = [];

beforeAll(async () => {
  database = await createTestDatabase('persistence_migrations');
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(
    dataSources.splice(0).flatMap((dataSource) => (dataSource.isInitialized ? [dataSource.destroy()] : [])),
  );
});

afterAll(async () => {
  await admin.end();
  await database.drop();
});

function dataSourceFor(schema: string, migrations: MigrationClass[] = MIGRATIONS): DataSource {
  const dataSource = createDataSource({ url: database.url, schema, entities: [], migrations });
  dataSources.push(dataSource);
  return dataSource;
}

async function sideEffects(schema: string): Promise<Record<string, number>> {
  const result = await admin.query<{ migration: string; runs: number }>(
    `SELECT migration, count(*)::int AS runs FROM ${pg.escapeIdentifier(schema)}.side_effect GROUP BY migration`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.migration, row.runs]));
}

async function appliedMigrations(schema: string): Promise<string[]> {
  const result = await admin.query<{ name: string }>(
    `SELECT name FROM ${pg.escapeIdentifier(schema)}.migrations ORDER BY id`,
  );
  return result.rows.map((row) => row.name);
}

async function advisoryLocks(granted: boolean): Promise<number> {
  const result = await admin.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND d.datname = current_database() AND l.granted = $1`,
    [granted],
  );
  return result.rows[0]?.count ?? 0;
}

describe('runMigrations', () => {
  it('applies each migration exactly once when two instances start at the same moment', async () => {
    const schema = 'race';
    // Hold the lock ourselves so that both runners are provably waiting on it at the same time.
    const key = migrationLockKey(schema).toString();
    await admin.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    const firstRun = runMigrations(dataSourceFor(schema));
    const secondRun = runMigrations(dataSourceFor(schema));
    await waitFor(async () => (await advisoryLocks(false)) === 2, {
      description: 'both runners to wait for the migration lock',
      timeoutMs: 15_000,
    });
    await admin.query('SELECT pg_advisory_unlock($1::bigint)', [key]);

    const [first, second] = await Promise.all([firstRun, secondRun]);

    // Whoever got the lock first applied both; the other found nothing pending.
    expect([first, second].map((names) => names.length).sort()).toEqual([0, 2]);
    expect([...first, ...second]).toEqual(['CreateSideEffect1700000000001', 'AddSecondRow1700000000002']);
    expect(await appliedMigrations(schema)).toEqual([
      'CreateSideEffect1700000000001',
      'AddSecondRow1700000000002',
    ]);
    expect(await sideEffects(schema)).toEqual({
      CreateSideEffect1700000000001: 1,
      AddSecondRow1700000000002: 1,
    });
    expect(await advisoryLocks(true)).toBe(0);
  });

  it('keeps the migrations table in the service schema and applies nothing twice', async () => {
    const schema = 'rerun';
    expect(await runMigrations(dataSourceFor(schema))).toHaveLength(2);
    expect(await runMigrations(dataSourceFor(schema))).toEqual([]);

    const tables = await admin.query<{ table_schema: string }>(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'migrations'`,
    );
    expect(tables.rows.map((row) => row.table_schema)).toContain(schema);
    expect(tables.rows.map((row) => row.table_schema)).not.toContain('public');
  });

  it('releases the lock and keeps earlier migrations when one fails', async () => {
    const schema = 'broken';
    const messages: string[] = [];
    const run = runMigrations(dataSourceFor(schema, [...MIGRATIONS, Broken1700000000003]), {
      log: (message) => messages.push(message),
    });

    await expect(run).rejects.toThrow(/no_such_function/);

    // Each migration runs in its own transaction: the first two stay, the broken one left nothing behind.
    expect(await appliedMigrations(schema)).toEqual([
      'CreateSideEffect1700000000001',
      'AddSecondRow1700000000002',
    ]);
    expect(await sideEffects(schema)).toEqual({
      CreateSideEffect1700000000001: 1,
      AddSecondRow1700000000002: 1,
    });
    expect(await advisoryLocks(true)).toBe(0);
    expect(messages).toContain('Waiting for the migration lock of schema "broken"');
  });

  it('gives up waiting for the lock after the lock timeout', async () => {
    const schema = 'contended';
    const key = migrationLockKey(schema).toString();
    await admin.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    try {
      await expect(runMigrations(dataSourceFor(schema), { lockTimeoutMs: 100 })).rejects.toThrow(
        /lock timeout/,
      );
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    }
  });
});

describe('revertLastMigration', () => {
  it('reverts the last applied migration under the lock, and the next run applies it again', async () => {
    const schema = 'revert';
    const dataSource = dataSourceFor(schema);
    await runMigrations(dataSource);

    await expect(revertLastMigration(dataSource)).resolves.toBe('AddSecondRow1700000000002');

    expect(await appliedMigrations(schema)).toEqual(['CreateSideEffect1700000000001']);
    expect(await sideEffects(schema)).toEqual({ CreateSideEffect1700000000001: 1 });
    await expect(runMigrations(dataSource)).resolves.toEqual(['AddSecondRow1700000000002']);
  });

  it('resolves undefined when nothing was ever applied', async () => {
    await expect(revertLastMigration(dataSourceFor('never_migrated'))).resolves.toBeUndefined();
  });
});

describe('migrate', () => {
  it('creates the database, applies the migrations and closes its connections', async () => {
    const target = await createTestDatabase('persistence_migrate');
    await target.drop();
    try {
      const service = { schema: 'oneshot', entities: [], migrations: MIGRATIONS };
      await expect(migrate(target.url, service)).resolves.toEqual([
        'CreateSideEffect1700000000001',
        'AddSecondRow1700000000002',
      ]);
      await expect(migrate(target.url, service)).resolves.toEqual([]);

      // A closed client's backend leaves pg_stat_activity a moment after the socket closes.
      await waitFor(
        async () => {
          const sessions = await admin.query<{ count: number }>(
            'SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1',
            [target.name],
          );
          return sessions.rows[0]?.count === 0;
        },
        { description: 'no session left on the migrated database' },
      );
    } finally {
      await target.drop();
    }
  });
});
