import type { RunStatus } from '@mailkeep/contracts';

/** What decides how a run ended. */
export interface RunTally {
  readonly cancelRequested: boolean;
  readonly mailboxesTotal: number;
  readonly mailboxesFailed: number;
  readonly messagesFailed: number;
  /** The run could not start at all (its profile is gone, its mailboxes could not be resolved). */
  readonly setupFailed: boolean;
}

/**
 * The final status of a run whose tasks have all ended (SC4): cancelled wins (the operator asked);
 * a run that could not start, or whose every mailbox failed, failed; any failed mailbox or
 * message makes it completed-with-errors; otherwise it succeeded (also with no mailbox at all).
 */
export function finalRunStatus(tally: RunTally): RunStatus {
  if (tally.cancelRequested) return 'cancelled';
  if (tally.setupFailed) return 'failed';
  if (tally.mailboxesTotal > 0 && tally.mailboxesFailed === tally.mailboxesTotal) return 'failed';
  if (tally.mailboxesFailed > 0 || tally.messagesFailed > 0) return 'completed-with-errors';
  return 'succeeded';
}
