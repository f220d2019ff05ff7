import type { RunStatus } from '@mailkeep/contracts';

/** What decides how a run ended. */
export interface RunTally {
  readonly cancelRequested: boolean;
  readonly mailboxesTotal: number;
  readonly mailboxesFailed: number;
  readonly messagesFailed: number;
  /** Mailboxes that succeeded with a folder the server would not open (issue 17 item 4). */
  readonly foldersFailed: number;
  /** The run could not start at all (its profile is gone, its mailboxes could not be resolved). */
  readonly setupFailed: boolean;
}

/** How a succeeded task's last error starts when folders of its mailbox could not be opened. */
export const FOLDER_FAILURE_PREFIX = 'Folders not opened: ';

/**
 * The final status of a run whose tasks have all ended (SC4): cancelled wins (the operator asked);
 * a run that could not start, or whose every mailbox failed, failed; any failed mailbox or
 * message, or a folder that could not be opened, makes it completed-with-errors; otherwise it succeeded (also with no mailbox at all).
 */
export function finalRunStatus(tally: RunTally): RunStatus {
  if (tally.cancelRequested) return 'cancelled';
  if (tally.setupFailed) return 'failed';
  if (tally.mailboxesTotal > 0 && tally.mailboxesFailed === tally.mailboxesTotal) return 'failed';
  if (tally.mailboxesFailed > 0 || tally.messagesFailed > 0 || tally.foldersFailed > 0) {
    return 'completed-with-errors';
  }
  return 'succeeded';
}
