import { type DynamicModule, Module } from '@nestjs/common';

import {
  DEFAULT_FIRING_TICK_MS,
  FIRING_OPTIONS,
  FiringLoop,
  type FiringOptions,
} from './firing/firing.loop.js';
import { ScheduleClaimer } from './firing/schedule-claimer.js';
import { DEFAULT_RECOVERY_INTERVAL_MS, RunRecoveryLoop } from './dispatch/run-recovery.loop.js';
import { DEFAULT_DISPATCH_LEASE_MS, TaskDispatcher } from './dispatch/task-dispatcher.js';
import { RemoteServices } from './ports/remote-services.js';
import { RunDispatcher } from './ports/run-dispatcher.js';
import { RunFinisher } from './progress/run-finisher.js';
import { RunProgressPublisher } from './progress/run-progress.publisher.js';
import { TaskEventApplier } from './progress/task-event.applier.js';
import { TaskEventsHandler } from './progress/task-events.handler.js';
import { RunLogService } from './run-log/run-log.service.js';
import { RunCancelService } from './runs/run-cancel.service.js';
import { RunStateRepository } from './runs/run-state.repository.js';
import { RunsHandler } from './runs/runs.handler.js';
import { RunsRepository } from './runs/runs.repository.js';
import { RunsService } from './runs/runs.service.js';
import { TasksRepository } from './tasks/tasks.repository.js';
import { SchedulesHandler } from './schedules/schedules.handler.js';
import { SchedulesRepository } from './schedules/schedules.repository.js';
import { SchedulesService } from './schedules/schedules.service.js';

@Module({})
export class SchedulerModule {
  static forRoot(options: Partial<FiringOptions> = {}): DynamicModule {
    return {
      module: SchedulerModule,
      // The NATS endpoints: served by the bus transport (MessageBusServer).
      controllers: [SchedulesHandler, RunsHandler, TaskEventsHandler],
      providers: [
        SchedulesService,
        SchedulesRepository,
        RunsRepository,
        ScheduleClaimer,
        FiringLoop,
        RemoteServices,
        RunStateRepository,
        TasksRepository,
        RunLogService,
        RunFinisher,
        RunProgressPublisher,
        RunCancelService,
        RunsService,
        TaskEventApplier,
        TaskDispatcher,
        { provide: RunDispatcher, useExisting: TaskDispatcher },
        RunRecoveryLoop,
        {
          provide: FIRING_OPTIONS,
          useValue: {
            tickMs: options.tickMs ?? DEFAULT_FIRING_TICK_MS,
            recoveryMs: options.recoveryMs ?? DEFAULT_RECOVERY_INTERVAL_MS,
            dispatchLeaseMs: options.dispatchLeaseMs ?? DEFAULT_DISPATCH_LEASE_MS,
          },
        },
      ],
      exports: [FiringLoop, ScheduleClaimer, TaskDispatcher, RunRecoveryLoop],
    };
  }
}
