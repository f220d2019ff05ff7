import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { QueuedRun } from '../ports/run-dispatcher.js';
import { RunsRepository } from '../runs/runs.repository.js';
import { nextFireTimes, type Recurrence } from '../schedules/recurrence.js';

/**
 * Due schedules claimed per transaction. Small enough that a claim holds its row locks for
 * milliseconds (other replicas skip the locked rows, they do not wait), large enough that
 * 1,000 due schedules take ten round trips, not a thousand.
 */
export const CLAIM_BATCH_SIZE = 100;

interface DueRow {
  id: string;
  tenant_id: string;
  profile_id: string;
  timezone: string;
  recurrence: Recurrence;
  anchor_at: Date;
  next_fire_at: Date;
}

export interface ClaimResult {
  /** Schedules whose slot was handled (queued or skipped). */
  readonly fired: number;
  readonly queued: QueuedRun[];
  readonly skipped: number;
}

/**
 * SC2 and SC5: claims due schedules with `FOR UPDATE SKIP LOCKED`, so any number of replicas
 * share the due rows without firing one twice, and in the same transaction records the firing
 * (a queued or skipped run for the slot) and moves `next_fire_at` past `now`. However many slots
 * were missed while no scheduler ran, the schedule fires once (the catch-up run) and then at
 * its next future slot.
 */
@Injectable()
export class ScheduleClaimer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunsRepository,
  ) {}

  claimDue(now: Date, batchSize = CLAIM_BATCH_SIZE): Promise<ClaimResult> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager.query<DueRow[]>(
        `SELECT id, tenant_id, profile_id, timezone, recurrence, anchor_at, next_fire_at
           FROM scheduler.schedule
          WHERE next_fire_at IS NOT NULL AND next_fire_at <= $1 AND enabled
          ORDER BY next_fire_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [now, batchSize],
      );
      const queued: QueuedRun[] = [];
      let skipped = 0;
      for (const schedule of due) {
        const run = {
          tenantId: schedule.tenant_id,
          scheduleId: schedule.id,
          profileId: schedule.profile_id,
          trigger: 'schedule' as const,
          slotAt: schedule.next_fire_at,
        };
        const outcome = await this.runs.queue(run, manager);
        if ('queued' in outcome) {
          queued.push({ id: outcome.queued.id, ...run });
        } else if ('activeRunId' in outcome) {
          await this.runs.recordSkipped(run, outcome.activeRunId, manager);
          skipped++;
        }
        const [next] = nextFireTimes(
          schedule.recurrence,
          { timezone: schedule.timezone, anchor: schedule.anchor_at },
          now,
          1,
        );
        await manager.query(`UPDATE scheduler.schedule SET next_fire_at = $2 WHERE id = $1`, [
          schedule.id,
          next ?? null,
        ]);
      }
      return { fired: due.length, queued, skipped };
    });
  }
}
