import {
  type ReferencesFindReply,
  type ReferencesFindRequest,
  type Run,
  type Schedule,
  SCHEDULE_CREATE_V1,
  SCHEDULE_DELETE_V1,
  SCHEDULE_GET_V1,
  SCHEDULE_LIST_V1,
  SCHEDULE_NEXT_RUNS_V1,
  SCHEDULE_RUN_NOW_V1,
  SCHEDULE_UPDATE_V1,
  type ScheduleCreateRequest,
  type ScheduleDeleted,
  type ScheduleListRequest,
  type ScheduleNextRuns,
  type ScheduleNextRunsRequest,
  type SchedulePage,
  SCHEDULER_REFERENCES_FIND_V1,
  type ScheduleRef,
  type ScheduleUpdateRequest,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { SchedulesService } from './schedules.service.js';

/** The scheduler on the bus: one method per request contract. */
@Controller()
export class SchedulesHandler {
  constructor(private readonly schedules: SchedulesService) {}

  @HandleRequest(SCHEDULE_CREATE_V1)
  create(request: ScheduleCreateRequest): Promise<Schedule> {
    return this.schedules.create(request.tenantId, request.schedule);
  }

  @HandleRequest(SCHEDULE_GET_V1)
  get(request: ScheduleRef): Promise<Schedule> {
    return this.schedules.get(request.tenantId, request.id);
  }

  @HandleRequest(SCHEDULE_LIST_V1)
  list(request: ScheduleListRequest): Promise<SchedulePage> {
    return this.schedules.list(request.tenantId, request);
  }

  @HandleRequest(SCHEDULE_UPDATE_V1)
  update(request: ScheduleUpdateRequest): Promise<Schedule> {
    return this.schedules.update(request.tenantId, request.id, request.changes);
  }

  @HandleRequest(SCHEDULE_DELETE_V1)
  delete(request: ScheduleRef): Promise<ScheduleDeleted> {
    return this.schedules.delete(request.tenantId, request.id);
  }

  @HandleRequest(SCHEDULE_NEXT_RUNS_V1)
  async nextRuns(request: ScheduleNextRunsRequest): Promise<ScheduleNextRuns> {
    const from = request.from === undefined ? new Date() : new Date(request.from);
    return { items: await this.schedules.nextRuns(request.tenantId, request.id, from, request.count) };
  }

  @HandleRequest(SCHEDULE_RUN_NOW_V1)
  runNow(request: ScheduleRef): Promise<Run> {
    return this.schedules.runNow(request.tenantId, request.id);
  }

  @HandleRequest(SCHEDULER_REFERENCES_FIND_V1)
  async references(request: ReferencesFindRequest): Promise<ReferencesFindReply> {
    return { references: await this.schedules.referencing(request.tenantId, request.kind, request.id) };
  }
}
