import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsUUID, ValidateNested } from 'class-validator';

import { defineEvent } from '../../core/contract.js';
import { ARCHIVE_EVENTS_STREAM } from '../../core/streams.js';
import { RunCounters, RUN_STATUSES, RUN_TRIGGERS, type RunStatus, type RunTrigger } from '../run/run.js';
import { RunLogEntry } from '../run-queries/run-queries.contract.js';

/** What every run event names. */
class RunEventBase {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The run. */
  @IsUUID()
  runId!: string;
}

/** A run left `queued`: its mailboxes are being resolved and its tasks queued. */
export class RunStartedEvent extends RunEventBase {
  /** The schedule that fired it, or whose "run now" started it. */
  @IsUUID()
  scheduleId!: string;
  /** The profile it runs. */
  @IsUUID()
  profileId!: string;
  /** What started it. */
  @IsIn(RUN_TRIGGERS)
  trigger!: RunTrigger;
  /** ISO-8601 UTC. */
  @IsISO8601()
  startedAt!: string;
}

/** A running run's status and counters, at most every couple of seconds per run (SC4). */
export class RunProgressEvent extends RunEventBase {
  /** Its status now. */
  @IsIn(RUN_STATUSES)
  status!: RunStatus;
  /** Its counters now. */
  @ValidateNested()
  @Type(() => RunCounters)
  counters!: RunCounters;
  /** ISO-8601 UTC. */
  @IsISO8601()
  reportedAt!: string;
}

/** A run's end, once per run (`Nats-Msg-Id` = `run-finished-<runId>`). */
export class RunFinishedEvent extends RunEventBase {
  /** The schedule that fired it, or whose "run now" started it. */
  @IsUUID()
  scheduleId!: string;
  /** The profile it ran. */
  @IsUUID()
  profileId!: string;
  /** succeeded, completed-with-errors, failed or cancelled. */
  @IsIn(RUN_STATUSES)
  status!: RunStatus;
  /** Its final counters. */
  @ValidateNested()
  @Type(() => RunCounters)
  counters!: RunCounters;
  /** ISO-8601 UTC; absent for a run that never started (cancelled while queued). */
  @IsOptional()
  @IsISO8601()
  startedAt?: string;
  /** ISO-8601 UTC. */
  @IsISO8601()
  finishedAt!: string;
}

/** A line written to a run's log, as it is written (for live views). */
export class RunLoggedEvent extends RunEventBase {
  /** The entry. */
  @ValidateNested()
  @Type(() => RunLogEntry)
  entry!: RunLogEntry;
}

export const RUN_STARTED_V1 = defineEvent({
  subject: 'archive.evt.run.started.v1',
  payload: RunStartedEvent,
  stream: ARCHIVE_EVENTS_STREAM,
});

export const RUN_PROGRESS_V1 = defineEvent({
  subject: 'archive.evt.run.progress.v1',
  payload: RunProgressEvent,
  stream: ARCHIVE_EVENTS_STREAM,
});

export const RUN_FINISHED_V1 = defineEvent({
  subject: 'archive.evt.run.finished.v1',
  payload: RunFinishedEvent,
  stream: ARCHIVE_EVENTS_STREAM,
});

export const RUN_LOGGED_V1 = defineEvent({
  subject: 'archive.evt.run.logged.v1',
  payload: RunLoggedEvent,
  stream: ARCHIVE_EVENTS_STREAM,
});
