import {
  ContractError,
  isUuid,
  type Run,
  RUN_TASKS_SHOWN,
  type RunLogPage,
  type RunPage,
  type RunStatus,
  type RunTaskPage,
  type RunTaskStatus,
} from '@mailkeep/contracts';
import { decodeCursor, DEFAULT_PAGE_SIZE, InvalidCursorError, keysetPage } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RunLogService, toRunLogEntry } from '../run-log/run-log.service.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import { RunEntity } from './run.entity.js';
import { RunCancelService } from './run-cancel.service.js';
import { toRun, toRunTask } from './run-view.js';
import { RunsRepository } from './runs.repository.js';

/** Runs as the API shows them (SC4): one run, lists, a run's tasks and log, cancel (SC3). */
@Injectable()
export class RunsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunsRepository,
    private readonly tasks: TasksRepository,
    private readonly log: RunLogService,
    private readonly cancels: RunCancelService,
  ) {}

  async get(tenantId: string, id: string): Promise<Run> {
    const run = await this.require(tenantId, id);
    return toRun(run, await this.tasks.shown(run.id, RUN_TASKS_SHOWN));
  }

  async list(
    tenantId: string,
    query: { profileId?: string; status?: RunStatus; limit?: number; cursor?: string },
  ): Promise<RunPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 'instant');
    const builder = this.dataSource
      .getRepository(RunEntity)
      .createQueryBuilder('r')
      .where('r.tenantId = :tenantId', { tenantId });
    if (query.profileId)
      builder.andWhere('r.profileId = :profileId', { profileId: query.profileId.toLowerCase() });
    if (query.status) builder.andWhere('r.status = :status', { status: query.status });
    // Newest first: what an operator looks at.
    if (cursor)
      builder.andWhere('(r.createdAt, r.id) < (:after, :id)', { after: cursor.after, id: cursor.id });
    const rows = await builder
      .orderBy('r.createdAt', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const page = keysetPage(
      rows,
      limit,
      (row) => toRun(row),
      (row) => ({ after: row.createdAt.toISOString(), id: row.id }),
    );
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  async tasksOf(
    tenantId: string,
    id: string,
    query: { status?: RunTaskStatus; limit?: number; cursor?: string },
  ): Promise<RunTaskPage> {
    const run = await this.require(tenantId, id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor).id;
    if (afterId !== undefined && !isUuid(afterId)) throw new InvalidCursorError();
    const rows = await this.tasks.page({
      runId: run.id,
      limit: limit + 1,
      ...(query.status && { status: query.status }),
      ...(afterId && { afterId }),
    });
    const page = keysetPage(rows, limit, toRunTask, (row) => ({ after: '', id: row.id }));
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  async logOf(tenantId: string, id: string, query: { limit?: number; cursor?: string }): Promise<RunLogPage> {
    const run = await this.require(tenantId, id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor).id;
    if (afterId !== undefined && !/^\d{1,19}$/.test(afterId)) throw new InvalidCursorError();
    const rows = await this.log.page(run.id, afterId, limit + 1);
    const page = keysetPage(rows, limit, toRunLogEntry, (row) => ({ after: '', id: row.id }));
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  async cancel(tenantId: string, id: string): Promise<Run> {
    await this.cancels.cancel(await this.require(tenantId, id));
    return this.get(tenantId, id);
  }

  private async require(tenantId: string, id: string): Promise<RunEntity> {
    const run = isUuid(id) ? await this.runs.find(tenantId, id.toLowerCase()) : null;
    if (!run) throw new ContractError('NOT_FOUND', `Run ${id} not found`);
    return run;
  }
}
