/**
 * JetStream streams, declared here so that every service agrees on names, subjects and limits,
 * and declared idempotently at start-up by whichever service uses them first.
 */
export interface StreamDefinition {
  readonly name: string;
  readonly subjects: readonly string[];
  /** `workqueue`: a message is removed once one consumer acks it; `limits`: kept for replay. */
  readonly retention: 'workqueue' | 'limits';
  /** How long a `Nats-Msg-Id` is remembered to drop duplicates of a re-sent message. */
  readonly duplicateWindowMs: number;
  /** Age after which messages are discarded; 0 keeps them until limits or acks remove them. */
  readonly maxAgeMs: number;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Work for connectors: one command per mailbox task. A work queue, so a message exists until one
 * worker acks it. The duplicate window covers a scheduler that re-publishes after a crash
 * (it republishes with the same task id well within two hours).
 */
export const CONNECTOR_COMMANDS_STREAM: StreamDefinition = Object.freeze({
  name: 'CONNECTOR_COMMANDS',
  subjects: ['connector.cmd.>'],
  retention: 'workqueue',
  duplicateWindowMs: 2 * HOUR_MS,
  maxAgeMs: 0,
});

/**
 * Archive facts (message archived, run lifecycle, task progress) for the catalog, the scheduler
 * and internal consumers (A5). Kept 30 days so a consumer can replay from a sequence or a time;
 * the catalog in PostgreSQL is the long-term record.
 */
export const ARCHIVE_EVENTS_STREAM: StreamDefinition = Object.freeze({
  name: 'ARCHIVE_EVENTS',
  subjects: ['archive.evt.>'],
  retention: 'limits',
  duplicateWindowMs: 2 * HOUR_MS,
  maxAgeMs: 30 * DAY_MS,
});

/**
 * Facts about configuration objects (tenants, profiles, secrets, mailboxes, schedules) that other
 * services react to. Seven days is ample for a service that was down to catch up.
 */
export const DOMAIN_EVENTS_STREAM: StreamDefinition = Object.freeze({
  name: 'DOMAIN_EVENTS',
  subjects: ['tenant.evt.>', 'profile.evt.>', 'secret.evt.>', 'directory.evt.>', 'scheduler.evt.>'],
  retention: 'limits',
  duplicateWindowMs: 2 * HOUR_MS,
  maxAgeMs: 7 * DAY_MS,
});

export const ALL_STREAMS: readonly StreamDefinition[] = [
  CONNECTOR_COMMANDS_STREAM,
  ARCHIVE_EVENTS_STREAM,
  DOMAIN_EVENTS_STREAM,
];
