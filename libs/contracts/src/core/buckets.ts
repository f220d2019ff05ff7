/**
 * JetStream key-value buckets that more than one service uses, declared here so that every
 * service opens them with the same settings (opening an existing bucket with other settings fails).
 */
export interface BucketDefinition {
  readonly name: string;
  /** Revisions kept per key. */
  readonly history: number;
  /** Age after which an entry expires; 0 keeps entries until deleted. */
  readonly ttlMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs an operator cancelled: key = run id. Written by the scheduler, watched by every connector
 * worker (a running task stops at its next message) and read when a task's command is delivered
 * (a queued task of a cancelled run ends at once). Thirty days outlasts any queued command.
 */
export const RUN_CANCELLATIONS_BUCKET: BucketDefinition = Object.freeze({
  name: 'run-cancellations',
  history: 1,
  ttlMs: 30 * DAY_MS,
});

/**
 * Who is archiving a mailbox now: key = `<tenantId>.<mailboxId>`, held by one worker's task and
 * renewed while it runs, so two tasks never archive one mailbox at the same time (a redelivered
 * command, two runs of different profiles). The bucket's entry age is the lease's lifetime: a
 * worker that dies without releasing frees the mailbox within a minute.
 */
export const MAILBOX_LEASES_BUCKET: BucketDefinition = Object.freeze({
  name: 'mailbox-leases',
  history: 1,
  ttlMs: 60_000,
});
