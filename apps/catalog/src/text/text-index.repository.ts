import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { ContentToSave } from './message-content.js';

/** A message waiting for its text, as the indexer claims it. */
export interface QueuedMessage {
  readonly id: string;
  readonly tenant_id: string;
  readonly sha256: string;
  readonly size: string;
  /** Where the bytes are when they are in a segment (catalog.blob_location), else null. */
  readonly segment_id: string | null;
  readonly segment_offset: string | null;
}

/** A tenant's re-index as the API shows it. */
export interface ReindexRow {
  readonly tenant_id: string;
  readonly status: string;
  readonly total: number;
  readonly done: number;
  readonly position: string | null;
  readonly requested_at: Date;
  readonly finished_at: Date | null;
}

/** Where a tenant's messages are with their text. */
export interface TextIndexCounts {
  readonly total: number;
  readonly pending: number;
  readonly failed: number;
  readonly unindexed_attachments: number;
}

/** Rows of the content table keyed `${tenant}/${sha256}`. */
export const contentKey = (tenantId: string, sha256: string) => `${tenantId}/${sha256}`;

/** SQL of the text indexer and of re-indexes. */
@Injectable()
export class TextIndexRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * The oldest messages waiting for their text, locked for this transaction; rows another catalog
   * process holds are skipped, so replicas share the queue.
   */
  claimQueued(manager: EntityManager, limit: number): Promise<QueuedMessage[]> {
    return manager.query<QueuedMessage[]>(
      `SELECT m.id, m.tenant_id, m.sha256, m.size, l.segment_id, l.segment_offset FROM catalog.message m
       LEFT JOIN catalog.blob_location l ON l.tenant_id = m.tenant_id AND l.sha256 = m.sha256
       WHERE m.text_state = 0 ORDER BY m.created_at LIMIT $1 FOR UPDATE OF m SKIP LOCKED`,
      [limit],
    );
  }

  /** Which of these blobs already have content of this extractor version (contentKey keys). */
  async extracted(
    manager: EntityManager,
    blobs: readonly QueuedMessage[],
    version: number,
  ): Promise<Set<string>> {
    if (blobs.length === 0) return new Set();
    const rows = await manager.query<{ tenant_id: string; sha256: string }[]>(
      `SELECT c.tenant_id, c.sha256 FROM catalog.message_content c
       JOIN unnest($1::uuid[], $2::text[]) AS b(tenant_id, sha256) ON c.tenant_id = b.tenant_id AND c.sha256 = b.sha256
       WHERE c.extractor_version = $3`,
      [blobs.map((blob) => blob.tenant_id), blobs.map((blob) => blob.sha256), version],
    );
    return new Set(rows.map((row) => contentKey(row.tenant_id, row.sha256)));
  }

  saveContent(
    manager: EntityManager,
    tenantId: string,
    sha256: string,
    version: number,
    content: ContentToSave,
  ): Promise<unknown> {
    return manager.query(
      `INSERT INTO catalog.message_content AS c
         (tenant_id, sha256, extractor_version, search, excerpt, attachments, unindexed_attachments, headers)
       VALUES ($1, $2, $3, setweight(to_tsvector('simple', $4), 'A') || setweight(to_tsvector('simple', $5), 'D'),
               $6, $7::jsonb, $8, $9::jsonb)
       ON CONFLICT (tenant_id, sha256) DO UPDATE SET extractor_version = excluded.extractor_version,
         search = excluded.search, excerpt = excluded.excerpt, attachments = excluded.attachments,
         unindexed_attachments = excluded.unindexed_attachments, headers = excluded.headers, indexed_at = now()`,
      [
        tenantId,
        sha256,
        version,
        content.headerText,
        content.bodyText,
        content.excerpt,
        JSON.stringify(content.attachments),
        content.unindexedAttachments,
        content.headers === null ? null : JSON.stringify(content.headers),
      ],
    );
  }

  /**
   * Copies each blob's content into its message rows (`ids`, or every row of the tenant's blobs
   * when re-indexing): the full text vector, the unindexed flag, and the headers read again in the
   * declared charset where there are such.
   */
  applyContent(manager: EntityManager, version: number, where: string, params: unknown[]): Promise<unknown> {
    const headers = (column: string, json = `c.headers->>'${column}'`) =>
      `${column} = CASE WHEN c.headers IS NULL THEN m.${column} ELSE ${json} END`;
    const array = (column: string) =>
      headers(column, `ARRAY(SELECT jsonb_array_elements_text(c.headers->'${column}'))`);
    return manager.query(
      `UPDATE catalog.message m SET search = c.search, text_state = ${Number(version)},
         unindexed_attachments = c.unindexed_attachments,
         ${headers('subject')}, ${headers('from_header')}, ${headers('to_header')}, ${headers('cc_header')},
         ${headers('from_search')}, ${headers('recipient_search')},
         ${array('from_addresses')}, ${array('recipient_addresses')}
       FROM catalog.message_content c
       WHERE c.tenant_id = m.tenant_id AND c.sha256 = m.sha256 AND ${where}`,
      params,
    );
  }

  /** The blob could not be read: the message stays findable by its headers. */
  markUnreadable(manager: EntityManager, ids: readonly string[]): Promise<unknown> {
    return manager.query(`UPDATE catalog.message SET text_state = -2 WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Starts (or starts over) the tenant's re-index. */
  async requestReindex(tenantId: string): Promise<ReindexRow> {
    const rows = await this.dataSource.query<ReindexRow[]>(
      `INSERT INTO catalog.text_reindex (tenant_id, status, total, done, position, requested_at, finished_at)
       SELECT $1, 'running', count(DISTINCT sha256), 0, NULL, now(), NULL FROM catalog.message WHERE tenant_id = $1
       ON CONFLICT (tenant_id) DO UPDATE SET status = 'running', total = excluded.total, done = 0,
         position = NULL, requested_at = now(), finished_at = NULL
       RETURNING *`,
      [tenantId],
    );
    return rows[0]!;
  }

  async findReindex(tenantId: string): Promise<ReindexRow | undefined> {
    const rows = await this.dataSource.query<ReindexRow[]>(
      `SELECT * FROM catalog.text_reindex WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0];
  }

  /** A running re-index no other process is working on, locked for this transaction. */
  async claimReindex(manager: EntityManager): Promise<ReindexRow | undefined> {
    const rows = await manager.query<ReindexRow[]>(
      `SELECT * FROM catalog.text_reindex WHERE status = 'running'
       ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0];
  }

  /** The next distinct blobs of the tenant after `position`, in hash order. */
  async nextBlobs(
    manager: EntityManager,
    tenantId: string,
    position: string | null,
    limit: number,
  ): Promise<{ sha256: string; size: string; segment_id: string | null; segment_offset: string | null }[]> {
    return manager.query(
      `SELECT b.sha256, b.size, l.segment_id, l.segment_offset
       FROM (SELECT sha256, max(size) AS size FROM catalog.message
             WHERE tenant_id = $1 AND sha256 > $2 GROUP BY sha256 ORDER BY sha256 LIMIT $3) b
       LEFT JOIN catalog.blob_location l ON l.tenant_id = $1 AND l.sha256 = b.sha256
       ORDER BY b.sha256`,
      [tenantId, position ?? '', limit],
    );
  }

  advanceReindex(
    manager: EntityManager,
    tenantId: string,
    position: string,
    count: number,
  ): Promise<unknown> {
    return manager.query(
      `UPDATE catalog.text_reindex SET position = $2, done = done + $3 WHERE tenant_id = $1`,
      [tenantId, position, count],
    );
  }

  finishReindex(manager: EntityManager, tenantId: string): Promise<unknown> {
    return manager.query(
      `UPDATE catalog.text_reindex SET status = 'succeeded', finished_at = now(), done = greatest(done, total)
       WHERE tenant_id = $1`,
      [tenantId],
    );
  }

  async counts(tenantId: string): Promise<TextIndexCounts> {
    const rows = await this.dataSource.query<TextIndexCounts[]>(
      `SELECT count(*)::int AS total,
         count(*) FILTER (WHERE text_state = 0)::int AS pending,
         count(*) FILTER (WHERE text_state = -2)::int AS failed,
         count(*) FILTER (WHERE unindexed_attachments)::int AS unindexed_attachments
       FROM catalog.message WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]!;
  }
}
