import { ContractError, TASK_TALLY_V1, type TaskTally, type TaskTallyRequest } from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { IngestProgress } from '../ingest/ingest-progress.js';
import { TaskTallyRepository } from './task-tally.repository.js';

/**
 * What the catalog holds of one task (issue 17 item 8), for the scheduler's counters of a task
 * that was delivered more than once. Answered only once the task's events are all ingested, so
 * a tally never misses rows still on their way.
 */
@Controller()
export class TaskTallyHandler {
  constructor(
    private readonly progress: IngestProgress,
    private readonly tallies: TaskTallyRepository,
  ) {}

  @HandleRequest(TASK_TALLY_V1)
  async tally(request: TaskTallyRequest): Promise<TaskTally> {
    if (!(await this.progress.reached(request.throughSequence))) {
      throw new ContractError('TEMPORARY', 'The catalog has not ingested the task’s events yet', {
        reason: 'catalog_behind',
      });
    }
    return this.tallies.tally(request.tenantId, request.mailboxId, request.taskId);
  }
}
