import { type DynamicModule, Module } from '@nestjs/common';

import {
  DEFAULT_FIRING_TICK_MS,
  FIRING_OPTIONS,
  FiringLoop,
  type FiringOptions,
} from './firing/firing.loop.js';
import { ScheduleClaimer } from './firing/schedule-claimer.js';
import { RemoteServices } from './ports/remote-services.js';
import { QueueOnlyRunDispatcher, RunDispatcher } from './ports/run-dispatcher.js';
import { RunsRepository } from './runs/runs.repository.js';
import { SchedulesHandler } from './schedules/schedules.handler.js';
import { SchedulesRepository } from './schedules/schedules.repository.js';
import { SchedulesService } from './schedules/schedules.service.js';

@Module({})
export class SchedulerModule {
  static forRoot(options: Partial<FiringOptions> = {}): DynamicModule {
    return {
      module: SchedulerModule,
      providers: [
        SchedulesHandler,
        SchedulesService,
        SchedulesRepository,
        RunsRepository,
        ScheduleClaimer,
        FiringLoop,
        RemoteServices,
        { provide: RunDispatcher, useClass: QueueOnlyRunDispatcher },
        { provide: FIRING_OPTIONS, useValue: { tickMs: options.tickMs ?? DEFAULT_FIRING_TICK_MS } },
      ],
      exports: [FiringLoop, ScheduleClaimer],
    };
  }
}
