import { randomUUID } from 'node:crypto';

import { ACTIVE_RUN_STATUSES, type RunTrigger } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { RunEntity } from './run.entity.js';

export interface NewRun {
  readonly tenantId: string;
  readonly scheduleId: string;
  readonly profileId: string;
  readonly trigger: RunTrigger;
  /** The schedule slot a firing stands for; null for run now. */
  readonly slotAt: Date | null;
}

export type QueueOutcome =
  | { readonly queued: RunEntity }
  /** A run of the profile is queued or running (SC2); the new one was not queued. */
  | { readonly activeRunId: string }
  /** This slot of the schedule already has a run: nothing was written. */
  | { readonly alreadyFired: true };

const ACTIVE = ACTIVE_RUN_STATUSES.map((status) => `'${status}'`).join(', ');

@Injectable()
export class RunsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(tenantId: string, id: string): Promise<RunEntity | null> {
    return this.dataSource.getRepository(RunEntity).findOne({ where: { tenantId, id } });
  }

  /**
   * Queues a run unless its profile has an active one. The partial unique index
   * `ux_run_active_profile` decides, so a firing on another replica and a run now racing this
   * insert cannot both queue; `ux_run_schedule_slot` makes a slot fire at most once.
   */
  async queue(run: NewRun, manager: EntityManager = this.dataSource.manager): Promise<QueueOutcome> {
    const rows = await manager.query<Record<string, unknown>[]>(
      `INSERT INTO scheduler.run (id, tenant_id, schedule_id, profile_id, trigger, status, slot_at, created_at)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6, now())
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [randomUUID(), run.tenantId, run.scheduleId, run.profileId, run.trigger, run.slotAt],
    );
    const inserted = rows[0]?.id;
    if (typeof inserted === 'string') {
      return { queued: await manager.getRepository(RunEntity).findOneByOrFail({ id: inserted }) };
    }
    if (run.slotAt) {
      const fired = await manager.query<unknown[]>(
        `SELECT 1 FROM scheduler.run WHERE schedule_id = $1 AND slot_at = $2`,
        [run.scheduleId, run.slotAt],
      );
      if (fired.length > 0) return { alreadyFired: true };
    }
    const active = await this.activeRunId(run.tenantId, run.profileId, manager);
    // The conflicting run may have finished between the insert and this read: try once more.
    if (!active) return this.queue(run, manager);
    return { activeRunId: active };
  }

  /** Records a firing that found the profile busy (SC2): a run row that never starts. */
  async recordSkipped(run: NewRun, activeRunId: string, manager: EntityManager): Promise<void> {
    const id = randomUUID();
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO scheduler.run (id, tenant_id, schedule_id, profile_id, trigger, status, slot_at, skipped_for_run_id, created_at, finished_at, finish_published)
       VALUES ($1, $2, $3, $4, $5, 'skipped', $6, $7, now(), now(), true)
       ON CONFLICT DO NOTHING
       RETURNING 1`,
      [id, run.tenantId, run.scheduleId, run.profileId, run.trigger, run.slotAt, activeRunId],
    );
    if (inserted.length === 0) return;
    // Logged on the skipped run and on the run it made way for, so either tells the story.
    await manager.query(
      `INSERT INTO scheduler.run_log (run_id, tenant_id, severity, message)
       VALUES ($1, $3, 'warning', $4), ($2, $3, 'warning', $5)`,
      [
        id,
        activeRunId,
        run.tenantId,
        `Skipped: run ${activeRunId} of this profile was still active when the schedule fired (slot ${run.slotAt?.toISOString() ?? 'manual'})`,
        `A firing of schedule ${run.scheduleId} was skipped because this run was still active (skipped run ${id})`,
      ],
    );
  }

  async activeRunId(
    tenantId: string,
    profileId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | undefined> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM scheduler.run WHERE tenant_id = $1 AND profile_id = $2 AND status IN (${ACTIVE}) LIMIT 1`,
      [tenantId, profileId],
    );
    return rows[0]?.id;
  }
}
