import type { RunStatus, TaskCounters, TaskFinishedStatus } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { changedRows } from '@mailkeep/persistence';
import { RunEntity } from './run.entity.js';
import { FOLDER_FAILURE_PREFIX } from './run-outcome.js';

/** The columns of a run that decide whether it has ended. */
export interface RunCompletion {
  readonly id: string;
  readonly tenantId: string;
  readonly status: RunStatus;
  readonly dispatched: boolean;
  readonly tasksFinished: number;
  readonly mailboxesTotal: number;
}

interface CompletionRow {
  id: string;
  tenant_id: string;
  status: RunStatus;
  dispatched: boolean;
  tasks_finished: number;
  mailboxes_total: number;
}

function completion(row: CompletionRow): RunCompletion {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    dispatched: row.dispatched,
    tasksFinished: row.tasks_finished,
    mailboxesTotal: row.mailboxes_total,
  };
}

export function isComplete(run: RunCompletion): boolean {
  return (
    (run.status === 'queued' || run.status === 'running') &&
    run.dispatched &&
    run.tasksFinished >= run.mailboxesTotal
  );
}

const COMPLETION_COLUMNS = 'id, tenant_id, status, dispatched, tasks_finished, mailboxes_total';

/**
 * A run's progress through dispatch, its tasks' outcomes and its end, each a single guarded
 * UPDATE: concurrent task events, replicas and a cancel serialise on the run's row.
 */
@Injectable()
export class RunStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes a run for dispatching until `leaseMs` from now, unless another replica holds it or it
   * is dispatched already; a queued run becomes running. Returns the run and its status before.
   */
  async claimDispatch(
    id: string,
    leaseMs: number,
  ): Promise<{ run: RunEntity; previousStatus: RunStatus } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const run = await manager
        .getRepository(RunEntity)
        .createQueryBuilder('r')
        .setLock('pessimistic_write')
        .where('r.id = :id', { id })
        .getOne();
      if (!run || run.dispatched || (run.status !== 'queued' && run.status !== 'running')) return undefined;
      if (run.dispatchLeaseUntil && run.dispatchLeaseUntil.getTime() > Date.now()) return undefined;
      const previousStatus = run.status;
      run.status = 'running';
      run.startedAt ??= new Date();
      run.dispatchLeaseUntil = new Date(Date.now() + leaseMs);
      await manager.getRepository(RunEntity).save(run);
      return { run, previousStatus };
    });
  }

  /** Records a dispatched page in the transaction that created its tasks, and renews the lease. */
  async addDispatchedPage(
    id: string,
    page: { created: number; nextCursor: string | null; leaseMs: number },
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE scheduler.run
          SET mailboxes_total = mailboxes_total + $2, dispatch_cursor = $3,
              dispatch_lease_until = now() + make_interval(secs => $4)
        WHERE id = $1`,
      [id, page.created, page.nextCursor, page.leaseMs / 1000],
    );
  }

  async cancelRequested(id: string): Promise<boolean> {
    const rows = await this.dataSource.query<{ cancel_requested_at: Date | null }[]>(
      `SELECT cancel_requested_at FROM scheduler.run WHERE id = $1`,
      [id],
    );
    return rows[0]?.cancel_requested_at != null;
  }

  /** Every task exists (or the run stopped creating them): the run may now end. */
  async markDispatched(id: string, setupError?: string): Promise<RunCompletion | undefined> {
    const rows = await changedRows<CompletionRow>(
      this.dataSource,
      `UPDATE scheduler.run SET dispatched = true, dispatch_lease_until = NULL, setup_error = $2
        WHERE id = $1 RETURNING ${COMPLETION_COLUMNS}`,
      [id, setupError?.slice(0, 1000) ?? null],
    );
    return rows[0] && completion(rows[0]);
  }

  /** Gives the lease up (dispatch was interrupted): the recovery pass or another replica goes on. */
  async releaseDispatch(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE scheduler.run SET dispatch_lease_until = NULL WHERE id = $1`, [id]);
  }

  /** Adds a task's counter change and, when it ended, its outcome. */
  async addTaskOutcome(
    id: string,
    delta: TaskCounters,
    finished: TaskFinishedStatus | undefined,
    manager: EntityManager,
  ): Promise<RunCompletion | undefined> {
    const rows = await changedRows<CompletionRow>(
      manager,
      `UPDATE scheduler.run
          SET messages_archived = messages_archived + $2,
              duplicates_skipped = duplicates_skipped + $3,
              messages_failed = messages_failed + $4,
              bytes_archived = bytes_archived + $5,
              tasks_finished = tasks_finished + $6,
              mailboxes_succeeded = mailboxes_succeeded + $7,
              mailboxes_failed = mailboxes_failed + $8
        WHERE id = $1 RETURNING ${COMPLETION_COLUMNS}`,
      [
        id,
        delta.messagesArchived,
        delta.duplicatesSkipped,
        delta.messagesFailed,
        delta.bytesArchived,
        finished ? 1 : 0,
        finished === 'succeeded' ? 1 : 0,
        finished === 'failed' ? 1 : 0,
      ],
    );
    return rows[0] && completion(rows[0]);
  }

  /**
   * Succeeded tasks of the run with a folder the server would not open: their last error names
   * the folders (`task.finished` folderFailures, see TaskEventApplier).
   */
  async tasksWithFailedFolders(id: string, manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ count: string }[]>(
      `SELECT count(*) AS count FROM scheduler.task
        WHERE run_id = $1 AND status = 'succeeded' AND last_error LIKE '${FOLDER_FAILURE_PREFIX}%'`,
      [id],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Tasks that ended without an event of theirs (cancelled before a worker took them). */
  async addFinishedTasks(id: string, count: number, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE scheduler.run SET tasks_finished = tasks_finished + $2 WHERE id = $1`, [
      id,
      count,
    ]);
  }

  lock(id: string, manager: EntityManager): Promise<RunEntity | null> {
    return manager
      .getRepository(RunEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
  }

  async markFinishPublished(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE scheduler.run SET finish_published = true WHERE id = $1`, [id]);
  }

  /** What the recovery pass looks at (the partial index ix_run_unfinished). */
  async unfinished(limit: number): Promise<RunEntity[]> {
    return this.dataSource
      .getRepository(RunEntity)
      .createQueryBuilder('r')
      .where(`(r.status IN ('queued', 'running') OR (r.finishedAt IS NOT NULL AND NOT r.finishPublished))`)
      .orderBy('r.createdAt')
      .limit(limit)
      .getMany();
  }
}
