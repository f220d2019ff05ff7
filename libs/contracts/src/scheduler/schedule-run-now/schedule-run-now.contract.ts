import { defineRequest } from '../../core/contract.js';
import { Run } from '../run/run.js';
import { ScheduleRef } from '../schedule-crud/schedule-crud.contract.js';

/**
 * SC3 "run now": queues a manual run of the schedule's target, enabled or not. While a run of the
 * same profile is queued or running, CONFLICT (reason `run_active`) names that run.
 */
export const SCHEDULE_RUN_NOW_V1 = defineRequest({
  subject: 'scheduler.req.schedule.run-now.v1',
  request: ScheduleRef,
  reply: Run,
});
