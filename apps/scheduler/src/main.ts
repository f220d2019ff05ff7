import './instrument.js';

import { runService } from '@mailkeep/runtime';

import { SCHEDULER_SCHEMA } from './database/scheduler-schema.js';
import { SchedulerEnv } from './scheduler.env.js';
import { SchedulerModule } from './scheduler.module.js';

await runService({
  name: 'scheduler',
  env: SchedulerEnv,
  schema: SCHEDULER_SCHEMA,
  module: () => SchedulerModule.forRoot(),
});
