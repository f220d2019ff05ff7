import type { ImapCursor } from '../cursors/folder-cursor.js';

/**
 * What LIST-STATUS (RFC 5819) or STATUS told about a folder without selecting it: the fields an
 * incremental pass needs to know whether there is anything new (imapflow's StatusObject).
 */
export interface FolderStatus {
  readonly messages?: number | undefined;
  readonly uidNext?: number | undefined;
  readonly uidValidity?: bigint | number | undefined;
  readonly highestModseq?: bigint | undefined;
}

/** The STATUS items asked for with LIST (HIGHESTMODSEQ only goes out to CONDSTORE servers). */
export const FOLDER_STATUS_QUERY = {
  messages: true,
  uidNext: true,
  uidValidity: true,
  highestModseq: true,
} as const;

/**
 * True when the folder's STATUS proves that a pass would archive nothing (decision 0021), so the
 * folder is neither selected nor listed, and its cursor is not written:
 *
 * - the cursor is a settled one of the same UIDVALIDITY (a changed UIDVALIDITY renumbers the
 *   folder: it is scanned again; an interrupted rescan is resumed);
 * - UIDNEXT is at most the cursor's lastUid + 1: every message that can exist has a UID below
 *   UIDNEXT (UIDs are assigned ascending and never reused within a UIDVALIDITY), and every UID up
 *   to lastUid is settled. Expunges and flag changes (which move HIGHESTMODSEQ) do not matter to an
 *   archive: nothing is archived because of them.
 * - with delete in source a pass also takes again what is still there below the cursor, so only an
 *   empty folder is skipped.
 *
 * Anything missing (no STATUS for the folder, a server without UIDNEXT in STATUS) selects it.
 */
export function hasNothingNew(
  cursor: ImapCursor | undefined,
  status: FolderStatus | undefined,
  deleteInSource: boolean,
): boolean {
  if (!cursor || cursor.rescan || !status) return false;
  if (status.uidValidity === undefined || status.uidNext === undefined) return false;
  if (BigInt(status.uidValidity) !== BigInt(cursor.uidValidity)) return false;
  if (status.uidNext > cursor.lastUid + 1) return false;
  return !deleteInSource || status.messages === 0;
}
