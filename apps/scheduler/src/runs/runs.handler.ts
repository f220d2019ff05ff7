import {
  type Run,
  RUN_CANCEL_V1,
  RUN_GET_V1,
  RUN_LIST_V1,
  RUN_LOG_V1,
  RUN_TASKS_V1,
  type RunListRequest,
  type RunLogPage,
  type RunLogRequest,
  type RunPage,
  type RunRef,
  type RunTaskPage,
  type RunTasksRequest,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { RunsService } from './runs.service.js';

/** Runs on the bus: one method per request contract (SC3, SC4). */
@Controller()
export class RunsHandler {
  constructor(private readonly runs: RunsService) {}

  @HandleRequest(RUN_GET_V1)
  get(request: RunRef): Promise<Run> {
    return this.runs.get(request.tenantId, request.id);
  }

  @HandleRequest(RUN_LIST_V1)
  list(request: RunListRequest): Promise<RunPage> {
    return this.runs.list(request.tenantId, request);
  }

  @HandleRequest(RUN_CANCEL_V1)
  cancel(request: RunRef): Promise<Run> {
    return this.runs.cancel(request.tenantId, request.id);
  }

  @HandleRequest(RUN_TASKS_V1)
  tasks(request: RunTasksRequest): Promise<RunTaskPage> {
    return this.runs.tasksOf(request.tenantId, request.id, request);
  }

  @HandleRequest(RUN_LOG_V1)
  log(request: RunLogRequest): Promise<RunLogPage> {
    return this.runs.logOf(request.tenantId, request.id, request);
  }
}
