import { randomUUID } from 'node:crypto';

import {
  INTEGRITY_CHECK_ERROR_LENGTH,
  INTEGRITY_FINDINGS_SHOWN,
  type SegmentProblem,
} from '@mailkeep/contracts';
import { changedRows, isUniqueViolation } from '@mailkeep/persistence';
import type { BlobLocation } from '@mailkeep/storage';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  IntegrityCheckEntity,
  IntegrityFindingEntity,
  type IntegritySegmentFindingEntity,
} from './integrity-check.entity.js';

/** A blob to check: its address, the size the catalog recorded, and its segment location if any. */
export interface BlobToCheck {
  readonly sha256: string;
  readonly size: number;
  readonly location?: BlobLocation;
}

/** A blob the catalog places in a segment. */
export type LocatedBlob = BlobToCheck & { readonly location: BlobLocation };

/** A segment and the distinct blobs the catalog places in it. */
export interface SegmentToCheck {
  readonly segmentId: string;
  readonly blobs: readonly LocatedBlob[];
}

/** A segment damaged outside the catalog's messages (its messages' own findings are `Finding`s). */
export interface SegmentFinding {
  readonly segmentId: string;
  readonly problem: SegmentProblem;
}

export type Finding =
  | { readonly kind: 'missing'; readonly sha256: string; readonly expectedSize: number }
  | {
      readonly kind: 'mismatch';
      readonly sha256: string;
      readonly expectedSize: number;
      readonly actualSha256: string;
      readonly actualSize: number;
    };

@Injectable()
export class IntegrityChecksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a new running check owned by `owner`; undefined when the tenant already has one
   * running (ux_integrity_check_running decides, so two requests at once start one check).
   */
  async create(tenantId: string, owner: string): Promise<IntegrityCheckEntity | undefined> {
    const id = randomUUID();
    try {
      await this.dataSource.query(
        `INSERT INTO catalog.integrity_check (id, tenant_id, status, total, owner, started_at, heartbeat_at)
         VALUES ($1, $2, 'running',
                 (SELECT count(DISTINCT sha256) FROM catalog.message WHERE tenant_id = $2), $3, now(), now())`,
        [id, tenantId, owner],
      );
    } catch (error) {
      if (isUniqueViolation(error, 'ux_integrity_check_running')) return undefined;
      throw error;
    }
    return this.find(tenantId, id) as Promise<IntegrityCheckEntity>;
  }

  async running(tenantId: string): Promise<IntegrityCheckEntity | null> {
    return this.dataSource.getRepository(IntegrityCheckEntity).findOneBy({ tenantId, status: 'running' });
  }

  find(tenantId: string, id: string): Promise<IntegrityCheckEntity | null> {
    return this.dataSource.getRepository(IntegrityCheckEntity).findOneBy({ tenantId, id });
  }

  /** The first findings of each kind, by hash. */
  findings(checkId: string): Promise<IntegrityFindingEntity[]> {
    return this.dataSource.query<IntegrityFindingEntity[]>(
      `(SELECT check_id AS "checkId", sha256, kind, expected_size AS "expectedSize",
               actual_sha256 AS "actualSha256", actual_size AS "actualSize"
          FROM catalog.integrity_finding WHERE check_id = $1 AND kind = 'mismatch' ORDER BY sha256 LIMIT $2)
       UNION ALL
       (SELECT check_id, sha256, kind, expected_size, actual_sha256, actual_size
          FROM catalog.integrity_finding WHERE check_id = $1 AND kind = 'missing' ORDER BY sha256 LIMIT $2)`,
      [checkId, INTEGRITY_FINDINGS_SHOWN],
    );
  }

  /** The first damaged segments, by id. */
  damagedSegments(checkId: string): Promise<IntegritySegmentFindingEntity[]> {
    return this.dataSource.query<IntegritySegmentFindingEntity[]>(
      `SELECT check_id AS "checkId", segment_id AS "segmentId", problem
       FROM catalog.integrity_segment_finding WHERE check_id = $1 ORDER BY segment_id LIMIT $2`,
      [checkId, INTEGRITY_FINDINGS_SHOWN],
    );
  }

  /**
   * Phase one: the tenant's next distinct blobs stored as their own objects (no location row)
   * after `position`, in hash order.
   */
  async nextOwnObjects(tenantId: string, position: string | null, limit: number): Promise<BlobToCheck[]> {
    const rows = await this.dataSource.query<{ sha256: string; size: string }[]>(
      `SELECT sha256, max(size) AS size FROM catalog.message m
       WHERE tenant_id = $1 AND ($2::varchar IS NULL OR sha256 > $2)
         AND NOT EXISTS (SELECT 1 FROM catalog.blob_location l WHERE l.tenant_id = $1 AND l.sha256 = m.sha256)
       GROUP BY sha256 ORDER BY sha256 LIMIT $3`,
      [tenantId, position, limit],
    );
    return rows.map((row) => ({ sha256: row.sha256, size: Number(row.size) }));
  }

  /**
   * Phase two: the tenant's next segments after `position`, in id order, as many as hold about
   * `blobs` of its blobs (at least one segment), each with the distinct blobs the catalog places
   * in it and their recorded sizes. `last` is the last segment id looked at (the next position),
   * also when none of the page's location rows has a message any more.
   */
  async nextSegments(
    tenantId: string,
    position: string | null,
    blobs: number,
  ): Promise<{ segments: SegmentToCheck[]; last?: string }> {
    const counts = await this.dataSource.query<{ segment_id: string; blobs: string }[]>(
      `SELECT segment_id, count(*) AS blobs FROM catalog.blob_location
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR segment_id > $2::uuid)
       GROUP BY segment_id ORDER BY segment_id LIMIT $3`,
      [tenantId, position, blobs],
    );
    const page: string[] = [];
    let held = 0;
    for (const row of counts) {
      if (page.length > 0 && held + Number(row.blobs) > blobs) break;
      page.push(row.segment_id);
      held += Number(row.blobs);
    }
    if (page.length === 0) return { segments: [] };
    const rows = await this.dataSource.query<
      { sha256: string; segment_id: string; segment_offset: string; location_size: string; size: string }[]
    >(
      `SELECT l.sha256, l.segment_id, l.segment_offset, l.size AS location_size, m.size
       FROM catalog.blob_location l
       JOIN LATERAL (SELECT max(size) AS size FROM catalog.message
                     WHERE tenant_id = $1 AND sha256 = l.sha256) m ON m.size IS NOT NULL
       WHERE l.tenant_id = $1 AND l.segment_id = ANY($2::uuid[])
       ORDER BY l.segment_id, l.segment_offset`,
      [tenantId, page],
    );
    const segments = new Map<string, LocatedBlob[]>(page.map((id) => [id, []]));
    for (const row of rows) {
      segments.get(row.segment_id)!.push({
        sha256: row.sha256,
        size: Number(row.size),
        location: {
          segmentId: row.segment_id,
          offset: Number(row.segment_offset),
          size: Number(row.location_size),
        },
      });
    }
    return {
      segments: [...segments].map(([segmentId, located]) => ({ segmentId, blobs: located })),
      last: page[page.length - 1],
    };
  }

  /**
   * Records a checked page (its findings, the new position and counters) in one transaction, if
   * `owner` still owns the check; false when another process took it over (this one then stops).
   */
  async recordPage(
    checkId: string,
    owner: string,
    page: {
      readonly position: string | null;
      readonly checked: number;
      readonly findings: readonly Finding[];
      readonly damagedSegments?: readonly SegmentFinding[];
    },
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const owned = await changedRows(
        manager,
        `SELECT 1 FROM catalog.integrity_check WHERE id = $1 AND owner = $2 AND status = 'running' FOR UPDATE`,
        [checkId, owner],
      );
      if (owned.length === 0) return false;
      let mismatches = 0;
      let missing = 0;
      if (page.findings.length > 0) {
        const inserted = await manager.query<{ kind: string }[]>(
          `INSERT INTO catalog.integrity_finding (check_id, sha256, kind, expected_size, actual_sha256, actual_size)
           SELECT $1, f.sha256, f.kind, f.expected_size, f.actual_sha256, f.actual_size
           FROM jsonb_to_recordset($2::jsonb)
             AS f(sha256 varchar, kind varchar, expected_size bigint, actual_sha256 varchar, actual_size bigint)
           ON CONFLICT DO NOTHING
           RETURNING kind`,
          [
            checkId,
            JSON.stringify(
              page.findings.map((finding) => ({
                sha256: finding.sha256,
                kind: finding.kind,
                expected_size: finding.expectedSize,
                actual_sha256: finding.kind === 'mismatch' ? finding.actualSha256 : null,
                actual_size: finding.kind === 'mismatch' ? finding.actualSize : null,
              })),
            ),
          ],
        );
        mismatches = inserted.filter((row) => row.kind === 'mismatch').length;
        missing = inserted.length - mismatches;
      }
      let damagedSegments = 0;
      if (page.damagedSegments !== undefined && page.damagedSegments.length > 0) {
        const inserted = await manager.query<unknown[]>(
          `INSERT INTO catalog.integrity_segment_finding (check_id, segment_id, problem)
           SELECT $1, f.segment_id, f.problem
           FROM jsonb_to_recordset($2::jsonb) AS f(segment_id uuid, problem varchar)
           ON CONFLICT DO NOTHING
           RETURNING segment_id`,
          [
            checkId,
            JSON.stringify(
              page.damagedSegments.map((finding) => ({
                segment_id: finding.segmentId,
                problem: finding.problem,
              })),
            ),
          ],
        );
        damagedSegments = inserted.length;
      }
      await manager.query(
        `UPDATE catalog.integrity_check
         SET position = $2, checked = checked + $3, mismatch_count = mismatch_count + $4,
             missing_count = missing_count + $5, damaged_segment_count = damaged_segment_count + $6,
             heartbeat_at = now()
         WHERE id = $1`,
        [checkId, page.position, page.checked, mismatches, missing, damagedSegments],
      );
      return true;
    });
  }

  /** Ends a check the owner still holds. */
  async finish(
    checkId: string,
    owner: string,
    status: 'succeeded' | 'failed',
    error?: string,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE catalog.integrity_check
       SET status = $3, finished_at = now(), error = $4, owner = NULL
       WHERE id = $1 AND owner = $2 AND status = 'running'`,
      [checkId, owner, status, error?.slice(0, INTEGRITY_CHECK_ERROR_LENGTH) ?? null],
    );
  }

  /** Renews the owner's hold; false when the check is no longer its own. */
  async heartbeat(checkId: string, owner: string): Promise<boolean> {
    const rows = await changedRows(
      this.dataSource,
      `UPDATE catalog.integrity_check SET heartbeat_at = now()
       WHERE id = $1 AND owner = $2 AND status = 'running' RETURNING id`,
      [checkId, owner],
    );
    return rows.length > 0;
  }

  /** Lets go of a check on shutdown, so that the next catalog process resumes it at once. */
  async release(checkId: string, owner: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE catalog.integrity_check SET owner = NULL, heartbeat_at = '-infinity'
       WHERE id = $1 AND owner = $2 AND status = 'running'`,
      [checkId, owner],
    );
  }

  /** Takes over running checks whose owner has not been heard of for `staleMs` (crashed or released). */
  async takeOverStale(staleMs: number, ownerOf: (id: string) => string): Promise<IntegrityCheckEntity[]> {
    const stale = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM catalog.integrity_check
       WHERE status = 'running' AND heartbeat_at < now() - $1 * interval '1 millisecond'`,
      [staleMs],
    );
    const taken: IntegrityCheckEntity[] = [];
    for (const { id } of stale) {
      const rows = await changedRows<{ id: string; tenant_id: string }>(
        this.dataSource,
        `UPDATE catalog.integrity_check SET owner = $2, heartbeat_at = now()
         WHERE id = $1 AND status = 'running' AND heartbeat_at < now() - $3 * interval '1 millisecond'
         RETURNING id, tenant_id`,
        [id, ownerOf(id), staleMs],
      );
      const row = rows[0];
      if (row) {
        const check = await this.find(row.tenant_id, row.id);
        if (check) taken.push(check);
      }
    }
    return taken;
  }
}
