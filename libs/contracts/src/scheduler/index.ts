export * from './run/run.js';
export * from './run-events/run-events.contract.js';
export * from './run-queries/run-queries.contract.js';
export * from './schedule-create/schedule-create.contract.js';
export * from './schedule-crud/schedule-crud.contract.js';
export * from './schedule-next-runs/schedule-next-runs.contract.js';
export * from './schedule-run-now/schedule-run-now.contract.js';

import { SCHEDULE_CREATE_V1 } from './schedule-create/schedule-create.contract.js';
import {
  SCHEDULE_DELETE_V1,
  SCHEDULE_GET_V1,
  SCHEDULE_LIST_V1,
  SCHEDULE_UPDATE_V1,
} from './schedule-crud/schedule-crud.contract.js';
import { SCHEDULE_NEXT_RUNS_V1 } from './schedule-next-runs/schedule-next-runs.contract.js';
import { SCHEDULE_RUN_NOW_V1 } from './schedule-run-now/schedule-run-now.contract.js';
import {
  RUN_FINISHED_V1,
  RUN_LOGGED_V1,
  RUN_PROGRESS_V1,
  RUN_STARTED_V1,
} from './run-events/run-events.contract.js';
import {
  RUN_CANCEL_V1,
  RUN_GET_V1,
  RUN_LIST_V1,
  RUN_LOG_V1,
  RUN_TASKS_V1,
} from './run-queries/run-queries.contract.js';

/** The scheduler's request contracts and run events (SC1, SC3, SC4). */
export const SCHEDULER_CONTRACTS = [
  SCHEDULE_CREATE_V1,
  SCHEDULE_GET_V1,
  SCHEDULE_LIST_V1,
  SCHEDULE_UPDATE_V1,
  SCHEDULE_DELETE_V1,
  SCHEDULE_NEXT_RUNS_V1,
  SCHEDULE_RUN_NOW_V1,
  RUN_GET_V1,
  RUN_LIST_V1,
  RUN_CANCEL_V1,
  RUN_TASKS_V1,
  RUN_LOG_V1,
  RUN_STARTED_V1,
  RUN_PROGRESS_V1,
  RUN_FINISHED_V1,
  RUN_LOGGED_V1,
] as const;
