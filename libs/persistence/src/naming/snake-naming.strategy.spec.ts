import { describe, expect, it } from 'vitest';
import { snakeCase } from './snake-case.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

describe('snakeCase', () => {
  it.each([
    ['MailboxFolder', 'mailbox_folder'],
    ['tenantId', 'tenant_id'],
    ['imapUID', 'imap_uid'],
    ['HTMLPart', 'html_part'],
    ['sha256Digest', 'sha256_digest'],
    ['already_snake', 'already_snake'],
    ['kebab-case name', 'kebab_case_name'],
  ])('%s → %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected);
  });
});

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('names tables and columns in snake_case and keeps explicit names', () => {
    expect(naming.tableName('ArchivedMessage', undefined)).toBe('archived_message');
    expect(naming.tableName('ArchivedMessage', 'message')).toBe('message');
    expect(naming.columnName('receivedAt', undefined, [])).toBe('received_at');
    expect(naming.columnName('receivedAt', 'received', [])).toBe('received');
    expect(naming.columnName('city', undefined, ['postalAddress'])).toBe('postal_address_city');
  });

  it('names join columns, join tables and their columns in snake_case', () => {
    expect(naming.joinColumnName('mailbox', 'id')).toBe('mailbox_id');
    expect(naming.joinTableName('archive_profile', 'mailbox', 'targetMailboxes', 'profiles')).toBe(
      'archive_profile_target_mailboxes_mailbox',
    );
    expect(naming.joinTableColumnName('archive_profile', 'id')).toBe('archive_profile_id');
  });

  it('names constraints and indexes readably, ignoring schema and column order', () => {
    expect(naming.primaryKeyName('catalog.message', ['id'])).toBe('pk_message');
    expect(naming.indexName('catalog.message', ['tenant_id', 'received_at'])).toBe(
      'idx_message_received_at_tenant_id',
    );
    expect(naming.indexName('message', ['received_at', 'tenant_id'])).toBe(
      'idx_message_received_at_tenant_id',
    );
    expect(naming.uniqueConstraintName('mailbox', ['address'])).toBe('uq_mailbox_address');
    expect(naming.foreignKeyName('message', ['mailbox_id'])).toBe('fk_message_mailbox_id');
  });

  it('tells partial indexes on the same columns apart', () => {
    const live = naming.indexName('message', ['tenant_id'], 'deleted_at IS NULL');
    const deleted = naming.indexName('message', ['tenant_id'], 'deleted_at IS NOT NULL');
    expect(live).toMatch(/^idx_message_tenant_id_[0-9a-f]{8}$/);
    expect(live).not.toBe(deleted);
  });

  it('shortens names PostgreSQL would truncate, deterministically and without collisions', () => {
    const columns = ['a_rather_long_column_name', 'another_rather_long_column_name'];
    const first = naming.indexName('a_table_with_a_long_name', columns);
    const second = naming.indexName('a_table_with_a_long_name', [...columns, 'x']);
    expect(first.length).toBe(63);
    expect(first).toBe(naming.indexName('a_table_with_a_long_name', columns));
    expect(first).not.toBe(second);
  });
});
