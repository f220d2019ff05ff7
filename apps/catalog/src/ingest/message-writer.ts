import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { CatalogRow } from './catalog-row.js';

/** Column list of the batch insert, with its types for jsonb_to_recordset. */
const COLUMNS = [
  ['id', 'uuid'],
  ['tenant_id', 'uuid'],
  ['mailbox_id', 'uuid'],
  ['source_key', 'varchar'],
  ['source_identity', 'varchar'],
  ['folder', 'varchar'],
  ['folders', 'text[]'],
  ['sha256', 'varchar'],
  ['size', 'bigint'],
  ['message_id', 'varchar'],
  ['subject', 'varchar'],
  ['from_header', 'varchar'],
  ['to_header', 'text'],
  ['cc_header', 'text'],
  ['from_addresses', 'text[]'],
  ['recipient_addresses', 'text[]'],
  ['from_search', 'text'],
  ['recipient_search', 'text'],
  ['date', 'timestamptz'],
  ['sort_at', 'timestamptz'],
  ['archived_at', 'timestamptz'],
  ['run_id', 'uuid'],
  ['task_id', 'uuid'],
] as const;

const COLUMN_NAMES = COLUMNS.map(([name]) => name).join(', ');
const RECORD_TYPE = [
  ...COLUMNS,
  ['search_text', 'text'],
  ['rescan', 'boolean'],
  ['segment_id', 'uuid'],
  ['segment_offset', 'bigint'],
]
  .map(([name, type]) => `${name} ${type}`)
  .join(', ');

/**
 * One statement for a whole batch: the rows travel as one JSON array (one parameter whatever the
 * batch size), duplicates of a row already stored are skipped by the unique index, and a rescanned
 * message is skipped when the mailbox already has its content in that folder. The same statement
 * records where segmented blobs live (decision 0020): the first location of a hash wins, so every
 * reader of the tenant's content reads the same copy.
 */
const INSERT_BATCH = `
  WITH v AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(${RECORD_TYPE})),
  located AS (
    INSERT INTO catalog.blob_location (tenant_id, sha256, segment_id, segment_offset, size)
    SELECT tenant_id, sha256, segment_id, segment_offset, size FROM v WHERE segment_id IS NOT NULL
    ON CONFLICT DO NOTHING)
  INSERT INTO catalog.message (${COLUMN_NAMES}, search)
  SELECT ${COLUMNS.map(([name]) => `v.${name}`).join(', ')}, setweight(to_tsvector('simple', v.search_text), 'A')
  FROM v
  WHERE NOT v.rescan OR NOT EXISTS (
    SELECT 1 FROM catalog.message m
    WHERE m.tenant_id = v.tenant_id AND m.sha256 = v.sha256
      AND m.mailbox_id = v.mailbox_id AND m.folder = v.folder)
  ON CONFLICT DO NOTHING
  RETURNING id`;

/** Writes batches of catalog rows. */
@Injectable()
export class MessageWriter {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts what is new of the rows, in one transaction; resolves with how many rows were added. */
  async insert(rows: readonly CatalogRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const payload = JSON.stringify(rows);
    const rescanned = [
      ...new Set(rows.filter((row) => row.rescan).map((row) => `${row.tenant_id}/${row.mailbox_id}`)),
    ];
    if (rescanned.length === 0) {
      const inserted = await this.dataSource.query<unknown[]>(INSERT_BATCH, [payload]);
      return inserted.length;
    }
    // Rescans check for existing content first: catalog processes rescanning the same mailbox take
    // turns (a lock per mailbox until commit, in a fixed order so two batches cannot deadlock).
    return this.dataSource.transaction(async (manager) => {
      for (const key of rescanned.sort()) {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `catalog.rescan:${key}`,
        ]);
      }
      const inserted = await manager.query<unknown[]>(INSERT_BATCH, [payload]);
      return inserted.length;
    });
  }
}
