import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import { TenantListRequest } from '../../core/list-request.js';
import { Schedule } from '../schedule-create/schedule-create.contract.js';

export class ScheduleRef {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The schedule id as given by the caller (not necessarily a UUID: unknown ids are NOT_FOUND). */
  @IsString()
  @MaxLength(200)
  id!: string;
}

/** A page of the tenant's schedules (search as P1), optionally of one profile. */
export class ScheduleListRequest extends TenantListRequest {
  /** Only the schedules whose target is this profile. */
  @IsOptional()
  @IsUUID()
  profileId?: string;
}

export class SchedulePage {
  /** The schedules of this page, oldest first. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Schedule)
  items!: Schedule[];
  /** Cursor of the next page; absent on the last page. */
  @IsOptional()
  @IsString()
  nextCursor?: string;
}

export class ScheduleUpdateRequest {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The schedule id. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** Properties to change (name, target, enabled, timezone, recurrence); validated like a create. */
  @IsObject()
  changes!: Record<string, unknown>;
}

export class ScheduleDeleted {
  /** The deleted schedule's id. */
  @IsUUID()
  id!: string;
}

export const SCHEDULE_GET_V1 = defineRequest({
  subject: 'scheduler.req.schedule.get.v1',
  request: ScheduleRef,
  reply: Schedule,
});
export const SCHEDULE_LIST_V1 = defineRequest({
  subject: 'scheduler.req.schedule.list.v1',
  request: ScheduleListRequest,
  reply: SchedulePage,
});
export const SCHEDULE_UPDATE_V1 = defineRequest({
  subject: 'scheduler.req.schedule.update.v1',
  request: ScheduleUpdateRequest,
  reply: Schedule,
});
/** Deletes a schedule; a run it started goes on (SC3: like disabling, it never stops a run). */
export const SCHEDULE_DELETE_V1 = defineRequest({
  subject: 'scheduler.req.schedule.delete.v1',
  request: ScheduleRef,
  reply: ScheduleDeleted,
});
