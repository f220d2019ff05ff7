import './instrument.js';

import {
  ARCHIVE_EVENTS_STREAM,
  CONNECTOR_ARCHIVE_MAILBOX_V1,
  CONNECTOR_COMMANDS_STREAM,
  DOMAIN_EVENTS_STREAM,
  type ProfileType,
  workQueueDurable,
} from '@mailkeep/contracts';
import { runService } from '@mailkeep/runtime';

import { SCHEDULER_SCHEMA } from './database/scheduler-schema.js';
import { SchedulerEnv } from './scheduler.env.js';
import { SchedulerModule } from './scheduler.module.js';

await runService({
  name: 'scheduler',
  env: SchedulerEnv,
  schema: SCHEDULER_SCHEMA,
  streams: [CONNECTOR_COMMANDS_STREAM, ARCHIVE_EVENTS_STREAM, DOMAIN_EVENTS_STREAM],
  // The queue lag of every connector pool's work queue, which the scheduler fills.
  watchedConsumers: (Object.keys(CONNECTOR_ARCHIVE_MAILBOX_V1) as ProfileType[]).map((type) => ({
    stream: CONNECTOR_COMMANDS_STREAM.name,
    durable: workQueueDurable(type),
  })),
  module: ({ config }) =>
    SchedulerModule.forRoot({
      recoveryMs: config.MAILKEEP_SCHEDULER_RECOVERY_SECONDS * 1000,
      dispatchLeaseMs: config.MAILKEEP_SCHEDULER_DISPATCH_LEASE_SECONDS * 1000,
    }),
});
