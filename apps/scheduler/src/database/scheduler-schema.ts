import type { ServiceSchema } from '@mailkeep/persistence';

import { RunLogEntity } from '../run-log/run-log.entity.js';
import { RunEntity } from '../runs/run.entity.js';
import { ScheduleEntity } from '../schedules/schedule.entity.js';
import { TaskEntity } from '../tasks/task.entity.js';
import { CreateSchedulerSchema1764000000200 } from './migrations/1764000000200-create-scheduler-schema.js';
import { RunsTasksAndLog1764000000201 } from './migrations/1764000000201-runs-tasks-and-log.js';

/** The scheduler's own tables, in schema `scheduler`, changed only by these migrations. */
export const SCHEDULER_SCHEMA: ServiceSchema = {
  schema: 'scheduler',
  entities: [ScheduleEntity, RunEntity, TaskEntity, RunLogEntity],
  migrations: [CreateSchedulerSchema1764000000200, RunsTasksAndLog1764000000201],
};
