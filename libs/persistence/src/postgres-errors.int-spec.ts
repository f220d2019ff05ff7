import { createTestDatabase, type TestDatabase } from '@mailkeep/testing';
import pg from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from './data-source.js';
import { isForeignKeyViolation, isUniqueViolation, postgresErrorOf } from './postgres-errors.js';

let database: TestDatabase;
let dataSource: DataSource;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('persistence_errors');
  dataSource = createDataSource({ url: database.url, schema: 'errors', entities: [], migrations: [] });
  await dataSource.initialize();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`
    CREATE SCHEMA errors;
    CREATE TABLE errors.tenant (id int PRIMARY KEY);
    CREATE TABLE errors.mailbox (id int PRIMARY KEY, tenant_id int NOT NULL CONSTRAINT fk_mailbox_tenant_id REFERENCES errors.tenant(id), address text NOT NULL);
    CREATE UNIQUE INDEX idx_mailbox_address_tenant_id ON errors.mailbox (tenant_id, address);
    INSERT INTO errors.tenant VALUES (1);
    INSERT INTO errors.mailbox VALUES (1, 1, 'a@example.test');
  `);
});

afterAll(async () => {
  await client.end();
  await dataSource.destroy();
  await database.drop();
});

/** Runs SQL through TypeORM and returns the error it throws (a QueryFailedError). */
async function typeormError(sql: string): Promise<unknown> {
  return dataSource.query(sql).then(
    () => expect.fail(`expected ${sql} to fail`),
    (err: unknown) => err,
  );
}

async function rawError(sql: string): Promise<unknown> {
  return client.query(sql).then(
    () => expect.fail(`expected ${sql} to fail`),
    (err: unknown) => err,
  );
}

const DUPLICATE = `INSERT INTO errors.mailbox VALUES (2, 1, 'a@example.test')`;
const UNKNOWN_TENANT = `INSERT INTO errors.mailbox VALUES (3, 42, 'b@example.test')`;

describe('isUniqueViolation', () => {
  it('detects a real unique violation through TypeORM, by unique index name too', async () => {
    const err = await typeormError(DUPLICATE);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'idx_mailbox_address_tenant_id')).toBe(true);
    expect(isUniqueViolation(err, 'pk_mailbox')).toBe(false);
    expect(isForeignKeyViolation(err)).toBe(false);
    expect(postgresErrorOf(err)).toMatchObject({ code: '23505', table: 'mailbox', schema: 'errors' });
  });

  it('detects it on a raw pg error and through a wrapping error', async () => {
    const err = await rawError(DUPLICATE);
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect(isUniqueViolation(err, 'idx_mailbox_address_tenant_id')).toBe(true);
    expect(isUniqueViolation(new Error('saving the mailbox failed', { cause: err }))).toBe(true);
  });

  it('is false for other errors and for things that are not errors', async () => {
    expect(isUniqueViolation(await typeormError(UNKNOWN_TENANT))).toBe(false);
    expect(isUniqueViolation(new Error('23505'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });
});

describe('isForeignKeyViolation', () => {
  it('detects a real foreign-key violation, by constraint name too', async () => {
    const viaTypeorm = await typeormError(UNKNOWN_TENANT);
    expect(isForeignKeyViolation(viaTypeorm)).toBe(true);
    expect(isForeignKeyViolation(viaTypeorm, 'fk_mailbox_tenant_id')).toBe(true);
    expect(isForeignKeyViolation(viaTypeorm, 'fk_other')).toBe(false);
    expect(isForeignKeyViolation(await rawError(UNKNOWN_TENANT), 'fk_mailbox_tenant_id')).toBe(true);
  });
});
