import {
  TASK_FINISHED_V1,
  TASK_PROGRESS_V1,
  type TaskFinishedEvent,
  type TaskProgressEvent,
} from '@mailkeep/contracts';
import { type Delivery, HandleMessage } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';

import { TaskEventApplier } from './task-event.applier.js';

/**
 * Task events handled at once per scheduler process. Each is one short transaction; eight keep
 * a 2-core database busy without queueing on the run row that events of one run share.
 */
const TASK_EVENT_CONCURRENCY = 8;

/**
 * Ack deadline of a task event. Handling takes milliseconds; ten seconds means events a killed
 * scheduler held are handled again by the next one within seconds of its start (SC5).
 */
const TASK_EVENT_ACK_WAIT_MS = 10_000;

/** The scheduler's consumers of task events: one durable consumer per subject. */
@Controller()
export class TaskEventsHandler {
  constructor(private readonly applier: TaskEventApplier) {}

  @HandleMessage(TASK_PROGRESS_V1, {
    durable: 'scheduler-task-progress',
    concurrency: TASK_EVENT_CONCURRENCY,
    ackWaitMs: TASK_EVENT_ACK_WAIT_MS,
  })
  progress(@Payload() event: TaskProgressEvent): Promise<void> {
    return this.applier.apply(event);
  }

  @HandleMessage(TASK_FINISHED_V1, {
    durable: 'scheduler-task-finished',
    concurrency: TASK_EVENT_CONCURRENCY,
    ackWaitMs: TASK_EVENT_ACK_WAIT_MS,
  })
  finished(@Payload() event: TaskFinishedEvent, @Ctx() delivery: Delivery): Promise<void> {
    return this.applier.apply(
      { ...event, attempt: event.attempts },
      { event, streamSequence: delivery.streamSequence, deliveryCount: delivery.deliveryCount },
    );
  }
}
