import type { BeforeCommit } from '@mailkeep/persistence';
import { containsPattern, isUniqueViolation, searchAsId, writeBeforeCommit } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';

import { MailboxEntity } from './mailbox.entity.js';

/** Creates in one write from which the tables' statistics are refreshed at once (an import chunk). */
const ANALYZE_AFTER_CREATES = 500;

/** An address is already another mailbox's (the primary key of mailbox_address said so). */
export class AddressTakenError extends Error {}

/** A mailbox with the address keys it owns (its primary first). */
export interface MailboxWrite {
  readonly mailbox: MailboxEntity;
  readonly addressKeys: readonly string[];
}

export interface MailboxPageQuery {
  readonly tenantId: string;
  readonly search?: string;
  readonly directoryServiceId?: string;
  readonly limit: number;
  readonly after?: { readonly addressKey: string; readonly id: string };
}

export interface AddressOwner {
  readonly mailboxId: string;
  readonly primaryAddress: string;
}

@Injectable()
export class MailboxesRepository {
  private readonly mailboxes: Repository<MailboxEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.mailboxes = dataSource.getRepository(MailboxEntity);
  }

  /** Ids are opaque: anything that is not a UUID of this tenant is simply not found. */
  find(tenantId: string, id: string): Promise<MailboxEntity | null> {
    const uuid = searchAsId(id);
    return uuid === undefined
      ? Promise.resolve(null)
      : this.mailboxes.findOne({ where: { tenantId, id: uuid } });
  }

  /** Existing mailboxes whose primary address is one of the keys (the import's identity). */
  findByPrimaryKeys(tenantId: string, keys: readonly string[]): Promise<MailboxEntity[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.mailboxes
      .createQueryBuilder('m')
      .where('m.tenantId = :tenantId', { tenantId })
      .andWhere('m.addressKey = ANY(:keys)', { keys })
      .getMany();
  }

  /** Which mailbox owns each of the address keys (those owned by none are absent). */
  async owners(tenantId: string, keys: readonly string[]): Promise<Map<string, AddressOwner>> {
    if (keys.length === 0) return new Map();
    const rows: { key: string; mailboxId: string; primaryAddress: string }[] = await this.dataSource.query(
      `SELECT a.address_key AS "key", a.mailbox_id AS "mailboxId", m.primary_address AS "primaryAddress"
         FROM directory.mailbox_address a JOIN directory.mailbox m ON m.id = a.mailbox_id
        WHERE a.tenant_id = $1 AND a.address_key = ANY($2::text[])`,
      [tenantId, keys],
    );
    return new Map(
      rows.map((row) => [row.key, { mailboxId: row.mailboxId, primaryAddress: row.primaryAddress }]),
    );
  }

  /**
   * Creates and replaces mailboxes with their addresses in one transaction, a few statements in
   * all. `check` runs last inside the transaction; when it throws, nothing is stored.
   */
  async write(
    tenantId: string,
    creates: readonly MailboxWrite[],
    updates: readonly MailboxWrite[],
    check?: BeforeCommit<void>,
  ): Promise<void> {
    await writeBeforeCommit(
      this.dataSource,
      async (manager) => {
        if (creates.length > 0) {
          await manager.query(
            `INSERT INTO directory.mailbox (id, tenant_id, primary_address, address_key, secondary_addresses,
                  display_name, enabled, origin, directory_service_id, external_id, created_at, updated_at)
           SELECT x.id, $1, x.primary_address, x.address_key, x.secondary_addresses, x.display_name, x.enabled,
                  x.origin, x.directory_service_id, x.external_id, x.created_at, x.updated_at
             FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, primary_address text, address_key text,
                  secondary_addresses jsonb, display_name text, enabled boolean, origin text,
                  directory_service_id uuid, external_id text, created_at timestamptz, updated_at timestamptz)`,
            [tenantId, JSON.stringify(creates.map((w) => rowOf(w.mailbox)))],
          );
        }
        if (updates.length > 0) {
          await manager.query(
            `UPDATE directory.mailbox AS m
              SET primary_address = x.primary_address, address_key = x.address_key,
                  secondary_addresses = x.secondary_addresses, display_name = x.display_name,
                  enabled = x.enabled, origin = x.origin, directory_service_id = x.directory_service_id,
                  external_id = x.external_id, updated_at = x.updated_at
             FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, primary_address text, address_key text,
                  secondary_addresses jsonb, display_name text, enabled boolean, origin text,
                  directory_service_id uuid, external_id text, updated_at timestamptz)
            WHERE m.tenant_id = $1 AND m.id = x.id`,
            [tenantId, JSON.stringify(updates.map((w) => rowOf(w.mailbox)))],
          );
          await manager.query(
            `DELETE FROM directory.mailbox_address WHERE tenant_id = $1 AND mailbox_id = ANY($2::uuid[])`,
            [tenantId, updates.map((w) => w.mailbox.id)],
          );
        }
        await this.insertAddresses(manager, tenantId, [...creates, ...updates]);
      },
      check,
    );
    // A bulk insert can grow the tables many times over before autovacuum notices; without fresh
    // statistics the planner keeps choosing plans made for tiny tables (nested seq scans).
    if (creates.length >= ANALYZE_AFTER_CREATES) {
      await this.dataSource.query(`ANALYZE directory.mailbox, directory.mailbox_address`);
    }
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM directory.mailbox_address WHERE tenant_id = $1 AND mailbox_id = $2`, [
        tenantId,
        id,
      ]);
      const result = await manager.delete(MailboxEntity, { tenantId, id });
      return (result.affected ?? 0) > 0;
    });
  }

  /** By primary address, then id (keyset); search on addresses and display name, or the id. */
  page(query: MailboxPageQuery): Promise<MailboxEntity[]> {
    const builder = this.mailboxes.createQueryBuilder('m').where('m.tenantId = :tenantId', {
      tenantId: query.tenantId,
    });
    if (query.directoryServiceId) {
      builder.andWhere('m.directoryServiceId = :directoryServiceId', {
        directoryServiceId: query.directoryServiceId,
      });
    }
    if (query.search) {
      const id = searchAsId(query.search);
      builder.andWhere(
        `(lower(m.displayName) LIKE :pattern ESCAPE '\\'
          OR m.id IN (SELECT a.mailbox_id FROM directory.mailbox_address a
                       WHERE a.tenant_id = :tenantId AND a.address_key LIKE :pattern ESCAPE '\\')
          ${id ? 'OR m.id = :id' : ''})`,
        { pattern: containsPattern(query.search), ...(id && { id }) },
      );
    }
    if (query.after) {
      builder.andWhere('(m.addressKey, m.id) > (:afterKey, :afterId)', {
        afterKey: query.after.addressKey,
        afterId: query.after.id,
      });
    }
    return builder.orderBy('m.addressKey', 'ASC').addOrderBy('m.id', 'ASC').limit(query.limit).getMany();
  }

  /** Every member of a directory service, enabled or not: what a sync compares its source with. */
  allMembers(tenantId: string, directoryServiceId: string): Promise<MailboxEntity[]> {
    return this.mailboxes.find({ where: { tenantId, directoryServiceId }, order: { addressKey: 'ASC' } });
  }

  /** Enabled members of a directory service by id (keyset), for run resolution. */
  members(
    tenantId: string,
    directoryServiceId: string,
    limit: number,
    afterId?: string,
  ): Promise<MailboxEntity[]> {
    const builder = this.mailboxes
      .createQueryBuilder('m')
      .where('m.tenantId = :tenantId AND m.directoryServiceId = :directoryServiceId AND m.enabled', {
        tenantId,
        directoryServiceId,
      });
    if (afterId) builder.andWhere('m.id > :afterId', { afterId });
    return builder.orderBy('m.id', 'ASC').limit(limit).getMany();
  }

  private async insertAddresses(manager: EntityManager, tenantId: string, writes: readonly MailboxWrite[]) {
    const keys: string[] = [];
    const mailboxIds: string[] = [];
    const primaries: boolean[] = [];
    for (const write of writes) {
      write.addressKeys.forEach((key, index) => {
        keys.push(key);
        mailboxIds.push(write.mailbox.id);
        primaries.push(index === 0);
      });
    }
    if (keys.length === 0) return;
    try {
      await manager.query(
        `INSERT INTO directory.mailbox_address (tenant_id, address_key, mailbox_id, is_primary)
         SELECT $1, k, id, p FROM unnest($2::text[], $3::uuid[], $4::boolean[]) AS x(k, id, p)`,
        [tenantId, keys, mailboxIds, primaries],
      );
    } catch (error) {
      if (isUniqueViolation(error, 'pk_mailbox_address')) throw new AddressTakenError();
      throw error;
    }
  }
}

function rowOf(mailbox: MailboxEntity) {
  return {
    id: mailbox.id,
    primary_address: mailbox.primaryAddress,
    address_key: mailbox.addressKey,
    secondary_addresses: mailbox.secondaryAddresses,
    display_name: mailbox.displayName,
    enabled: mailbox.enabled,
    origin: mailbox.origin,
    directory_service_id: mailbox.directoryServiceId,
    // Only synced mailboxes have one; the import and the API leave it unset.
    external_id: mailbox.externalId ?? null,
    created_at: mailbox.createdAt.toISOString(),
    updated_at: mailbox.updatedAt.toISOString(),
  };
}
