import type { ServiceSchema } from '@mailkeep/persistence';

import { RunEntity } from '../runs/run.entity.js';
import { ScheduleEntity } from '../schedules/schedule.entity.js';
import { CreateSchedulerSchema1764000000200 } from './migrations/1764000000200-create-scheduler-schema.js';

/** The scheduler's own tables, in schema `scheduler`, changed only by these migrations. */
export const SCHEDULER_SCHEMA: ServiceSchema = {
  schema: 'scheduler',
  entities: [ScheduleEntity, RunEntity],
  migrations: [CreateSchedulerSchema1764000000200],
};
