import { randomUUID } from 'node:crypto';

import type { RunTaskStatus } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { changedRows } from '@mailkeep/persistence';
import { TaskEntity } from './task.entity.js';
import { ZERO_COUNTERS } from './task-attempts.js';

/** A task whose command is to be published. */
export interface PendingTask {
  readonly id: string;
  readonly mailboxId: string;
}

const ZERO = JSON.stringify(ZERO_COUNTERS);

@Injectable()
export class TasksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates the `pending` tasks of mailboxes that have none in the run yet (a page dispatched
   * again after a crash adds nothing). Returns only the tasks created now.
   */
  async createPending(
    run: { id: string; tenantId: string },
    mailboxIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PendingTask[]> {
    if (mailboxIds.length === 0) return [];
    const ids = mailboxIds.map(() => randomUUID());
    const rows = await manager.query<{ id: string; mailbox_id: string }[]>(
      `INSERT INTO scheduler.task (id, run_id, tenant_id, mailbox_id, status, past_counters, attempt_counters)
       SELECT t.id, $1, $2, t.mailbox_id, 'pending', $5::jsonb, $5::jsonb
         FROM unnest($3::uuid[], $4::uuid[]) AS t(id, mailbox_id)
       ON CONFLICT (run_id, mailbox_id) DO NOTHING
       RETURNING id, mailbox_id`,
      [run.id, run.tenantId, ids, mailboxIds, ZERO],
    );
    return rows.map((row) => ({ id: row.id, mailboxId: row.mailbox_id }));
  }

  /** Tasks of a run created but not yet on the queue (recovery after a crash between the two). */
  async pending(runId: string, limit: number): Promise<PendingTask[]> {
    const rows = await this.dataSource.query<{ id: string; mailbox_id: string }[]>(
      `SELECT id, mailbox_id FROM scheduler.task WHERE run_id = $1 AND status = 'pending' ORDER BY id LIMIT $2`,
      [runId, limit],
    );
    return rows.map((row) => ({ id: row.id, mailboxId: row.mailbox_id }));
  }

  /** Their commands are on the queue. A task that moved on meanwhile (cancelled) keeps its status. */
  async markQueued(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE scheduler.task SET status = 'queued', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [ids],
    );
  }

  /**
   * Cancels the tasks no worker has started (SC3): pending and queued ones end at once — a worker
   * that receives a queued one later finds the run cancelled and only confirms it. Returns how
   * many ended.
   */
  async cancelUnstarted(runId: string, manager: EntityManager): Promise<number> {
    const rows = await changedRows<unknown>(
      manager,
      `UPDATE scheduler.task SET status = 'cancelled', finished_at = now(), updated_at = now()
        WHERE run_id = $1 AND status IN ('pending', 'queued')
        RETURNING 1`,
      [runId],
    );
    return rows.length;
  }

  find(id: string): Promise<TaskEntity | null> {
    return this.dataSource.getRepository(TaskEntity).findOneBy({ id });
  }

  /** Locks a task for an update from one of its events. */
  lock(id: string, manager: EntityManager): Promise<TaskEntity | null> {
    return manager
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
  }

  async save(task: TaskEntity, manager: EntityManager): Promise<void> {
    task.updatedAt = new Date();
    await manager.getRepository(TaskEntity).save(task);
  }

  /**
   * The first tasks shown with a run: failed and running ones first (what an operator looks
   * for), then by id.
   */
  shown(runId: string, limit: number): Promise<TaskEntity[]> {
    return this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.runId = :runId', { runId })
      .orderBy(
        `CASE t.status WHEN 'failed' THEN 0 WHEN 'running' THEN 1 WHEN 'queued' THEN 2 WHEN 'pending' THEN 3 ELSE 4 END`,
      )
      .addOrderBy('t.id')
      .limit(limit)
      .getMany();
  }

  /** A keyset page of a run's tasks by id. */
  page(query: {
    runId: string;
    status?: RunTaskStatus;
    afterId?: string;
    limit: number;
  }): Promise<TaskEntity[]> {
    const builder = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.runId = :runId', { runId: query.runId });
    if (query.status) builder.andWhere('t.status = :status', { status: query.status });
    if (query.afterId) builder.andWhere('t.id > :afterId', { afterId: query.afterId });
    return builder.orderBy('t.id').limit(query.limit).getMany();
  }
}
