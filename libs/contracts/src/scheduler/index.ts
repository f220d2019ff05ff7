export * from './run/run.js';
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

/** The scheduler's request contracts (SC1, SC3). */
export const SCHEDULER_CONTRACTS = [
  SCHEDULE_CREATE_V1,
  SCHEDULE_GET_V1,
  SCHEDULE_LIST_V1,
  SCHEDULE_UPDATE_V1,
  SCHEDULE_DELETE_V1,
  SCHEDULE_NEXT_RUNS_V1,
  SCHEDULE_RUN_NOW_V1,
] as const;
