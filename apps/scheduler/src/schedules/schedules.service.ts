import { randomUUID } from 'node:crypto';

import {
  ContractError,
  type FieldError,
  type ObjectReference,
  type ReferencedKind,
  type Run,
  type Schedule,
  type SchedulePage,
} from '@mailkeep/contracts';
import { decodeCursor, DEFAULT_PAGE_SIZE, keysetPage } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';

import { RemoteServices } from '../ports/remote-services.js';
import { RunDispatcher } from '../ports/run-dispatcher.js';
import { toRun } from '../runs/run-view.js';
import { RunsRepository } from '../runs/runs.repository.js';
import { nextFireTimes } from './recurrence.js';
import { validateSchedule, type ValidSchedule } from './schedule-rules.js';
import { ScheduleEntity } from './schedule.entity.js';
import { DuplicateNameError, SchedulesRepository } from './schedules.repository.js';

/** How many fire times a schedule shows (SC1 "the API shows the next run times"). */
export const SHOWN_NEXT_RUNS = 5;

@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly runs: RunsRepository,
    private readonly remote: RemoteServices,
    private readonly dispatcher: RunDispatcher,
  ) {}

  async create(tenantId: string, input: Record<string, unknown>): Promise<Schedule> {
    const valid = await this.validate(tenantId, input, true);
    const now = new Date();
    refusePastOnce(valid, now);
    const entity = Object.assign(new ScheduleEntity(), {
      id: randomUUID(),
      tenantId,
      targetKind: 'archiving-profile' as const,
      anchorAt: now,
      createdAt: now,
      updatedAt: now,
    });
    apply(entity, valid, now);
    return toSchedule(await this.schedules.save(entity).catch(rethrowDuplicate), now);
  }

  async get(tenantId: string, id: string): Promise<Schedule> {
    return toSchedule(await this.require(tenantId, id), new Date());
  }

  async list(
    tenantId: string,
    query: { search?: string; profileId?: string; limit?: number; cursor?: string },
  ): Promise<SchedulePage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 'instant');
    const rows = await this.schedules.page({
      tenantId,
      ...(query.search && { search: query.search }),
      ...(query.profileId && { profileId: query.profileId.toLowerCase() }),
      limit: limit + 1,
      ...(cursor && { after: { createdAt: cursor.after, id: cursor.id } }),
    });
    const now = new Date();
    return keysetPage(
      rows,
      limit,
      (row) => toSchedule(row, now),
      (row) => ({ after: row.createdAt.toISOString(), id: row.id }),
    );
  }

  /**
   * Validates the merged schedule like a create. A new recurrence or time zone restarts the
   * interval count; enabling fires from now on (slots missed while disabled are not caught up).
   */
  async update(tenantId: string, id: string, changes: Record<string, unknown>): Promise<Schedule> {
    const current = await this.require(tenantId, id);
    const merged = { ...toInput(current), ...changes };
    const targetChanged = JSON.stringify(merged.target) !== JSON.stringify(toInput(current).target);
    const valid = await this.validate(tenantId, merged, targetChanged);
    const now = new Date();
    if (
      valid.timezone !== current.timezone ||
      JSON.stringify(valid.recurrence) !== JSON.stringify(current.recurrence)
    ) {
      current.anchorAt = now;
      // A once schedule that already fired keeps its past time when only its name changes.
      refusePastOnce(valid, now);
    }
    apply(current, valid, now);
    current.updatedAt = now;
    return toSchedule(await this.schedules.save(current).catch(rethrowDuplicate), now);
  }

  /** A run the schedule started goes on (SC3); the run keeps the schedule's id. */
  async delete(tenantId: string, id: string): Promise<{ id: string }> {
    const current = await this.require(tenantId, id);
    await this.schedules.delete(tenantId, current.id);
    return { id: current.id };
  }

  async nextRuns(tenantId: string, id: string, from: Date, count: number): Promise<string[]> {
    const schedule = await this.require(tenantId, id);
    return nextFireTimes(schedule.recurrence, contextOf(schedule), from, count).map((d) => d.toISOString());
  }

  /** SC3: a manual run, enabled or not; 409 naming the active run of the profile. */
  async runNow(tenantId: string, id: string): Promise<Run> {
    const schedule = await this.require(tenantId, id);
    const outcome = await this.runs.queue({
      tenantId,
      scheduleId: schedule.id,
      profileId: schedule.profileId,
      trigger: 'manual',
      slotAt: null,
    });
    if (!('queued' in outcome)) {
      const active = 'activeRunId' in outcome ? outcome.activeRunId : 'unknown';
      throw new ContractError('CONFLICT', `Run ${active} of this profile is still active`, {
        reason: 'run_active',
        references: [{ kind: 'run', id: active }],
      });
    }
    await this.dispatcher.dispatch({
      id: outcome.queued.id,
      tenantId,
      scheduleId: schedule.id,
      profileId: schedule.profileId,
    });
    return toRun(outcome.queued);
  }

  /** The schedules that point at an object of another service (the guard of P5). */
  async referencing(tenantId: string, kind: ReferencedKind, id: string): Promise<ObjectReference[]> {
    // Directory-sync targets do not exist yet; when they do, `directory-service` answers here.
    if (kind !== 'archiving-profile') return [];
    const schedules = await this.schedules.targeting(tenantId, id.toLowerCase());
    return schedules.map((schedule) => ({ kind: 'schedule', id: schedule.id, name: schedule.name }));
  }

  private async require(tenantId: string, id: string): Promise<ScheduleEntity> {
    const found = await this.schedules.find(tenantId, id);
    if (!found) throw new ContractError('NOT_FOUND', `No schedule ${id}`);
    return found;
  }

  private async validate(
    tenantId: string,
    input: Record<string, unknown>,
    checkProfile: boolean,
  ): Promise<ValidSchedule> {
    const { schedule, errors } = validateSchedule(input);
    const fields: FieldError[] = [...errors];
    const profileId = schedule?.profileId ?? profileIdOf(input);
    if (checkProfile && profileId && !fields.some((error) => error.field === 'target.profileId')) {
      if (!(await this.remote.profileExists(tenantId, profileId))) {
        fields.push({ field: 'target.profileId', message: 'no archiving profile of the tenant has this id' });
      }
    }
    if (fields.length > 0 || !schedule) throw ContractError.validation(fields);
    return schedule;
  }
}

function apply(entity: ScheduleEntity, valid: ValidSchedule, now: Date): void {
  entity.name = valid.name;
  entity.nameKey = valid.name.toLowerCase();
  entity.profileId = valid.profileId;
  entity.enabled = valid.enabled;
  entity.timezone = valid.timezone;
  entity.recurrence = valid.recurrence;
  entity.nextFireAt = valid.enabled
    ? (nextFireTimes(valid.recurrence, contextOf(entity), now, 1)[0] ?? null)
    : null;
}

/**
 * A `once` schedule whose time has passed would be saved and never fire (issue 17, item 12): a
 * field error instead, so the caller sees it at once. Chosen over "fire at once": a past time is
 * more often a typo (a wrong year or time zone) than a wish to run now, and run-now exists.
 */
function refusePastOnce(valid: ValidSchedule, now: Date): void {
  if (valid.recurrence.type !== 'once') return;
  const context = { timezone: valid.timezone, anchor: now };
  if (nextFireTimes(valid.recurrence, context, now, 1).length > 0) return;
  throw ContractError.validation([
    {
      field: 'recurrence.at',
      message: `is in the past (in ${valid.timezone}); a once schedule must be set to fire later, or use run now`,
    },
  ]);
}

function contextOf(schedule: Pick<ScheduleEntity, 'timezone' | 'anchorAt'>) {
  return { timezone: schedule.timezone, anchor: schedule.anchorAt };
}

function profileIdOf(input: Record<string, unknown>): string | undefined {
  const target = input.target as { profileId?: unknown } | undefined;
  return typeof target?.profileId === 'string' ? target.profileId.toLowerCase() : undefined;
}

function toInput(entity: ScheduleEntity): Record<string, unknown> {
  return {
    name: entity.name,
    target: { kind: entity.targetKind, profileId: entity.profileId },
    enabled: entity.enabled,
    timezone: entity.timezone,
    recurrence: entity.recurrence,
  };
}

/** A disabled schedule shows no next runs: it will not fire (next-runs still computes them). */
export function toSchedule(entity: ScheduleEntity, now: Date): Schedule {
  return {
    id: entity.id,
    name: entity.name,
    target: { kind: entity.targetKind, profileId: entity.profileId },
    enabled: entity.enabled,
    timezone: entity.timezone,
    recurrence: { ...entity.recurrence },
    nextRuns: entity.enabled
      ? nextFireTimes(entity.recurrence, contextOf(entity), now, SHOWN_NEXT_RUNS).map((d) => d.toISOString())
      : [],
  };
}

function rethrowDuplicate(error: unknown): never {
  if (error instanceof DuplicateNameError) {
    throw new ContractError('CONFLICT', `A schedule named "${error.message}" already exists`, {
      reason: 'duplicate_name',
      fields: [
        { field: 'name', message: 'another schedule of the tenant has this name (names ignore case)' },
      ],
    });
  }
  throw error;
}
