import { ContractError } from '@mailkeep/contracts';

import { uidSet } from '../fetch/uid-set.js';
import type { ImapSession } from '../protocol/imap-client.js';

/**
 * UIDs per `UID STORE` / `UID EXPUNGE`: 250 sparse UIDs keep the command line near 3 KB, inside
 * the 8 KB RFC 7162 asks clients to stay under.
 */
export const DELETE_BATCH_UIDS = 250;

/** Whether the server can expunge exactly given UIDs (RFC 4315 UIDPLUS). */
export function canDeleteExactly(session: ImapSession): boolean {
  return session.client.capabilities.has('UIDPLUS');
}

/**
 * Deletes archived messages from the selected (read-write) folder (P10): `UID STORE +FLAGS
 * (\Deleted)` then `UID EXPUNGE` of exactly those UIDs. Never a plain EXPUNGE, which would also
 * remove messages someone else marked \Deleted; without UIDPLUS nothing is deleted (the caller
 * checks `canDeleteExactly` and reports it).
 *
 * Flagged messages are never deleted. The flags are read again right before the STORE, and on
 * CONDSTORE servers the STORE carries UNCHANGEDSINCE the highest MODSEQ read, so a message
 * flagged (or otherwise changed) in between is not marked \Deleted and survives the expunge.
 *
 * Returns the UIDs that were asked to be expunged.
 */
export async function deleteArchived(session: ImapSession, uids: readonly number[]): Promise<number[]> {
  if (!canDeleteExactly(session)) {
    throw new ContractError(
      'VALIDATION',
      'The server lacks UIDPLUS: archived messages cannot be deleted exactly',
      {
        reason: 'invalid',
      },
    );
  }
  const deleted: number[] = [];
  const sorted = [...uids].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += DELETE_BATCH_UIDS) {
    const batch = sorted.slice(i, i + DELETE_BATCH_UIDS);
    const set = uidSet(batch);
    const rows = await session.call(`UID FETCH ${set} (FLAGS)`, (client) =>
      client.fetchAll(set, { uid: true, flags: true }, { uid: true }),
    );
    const wanted = new Set(batch);
    const unflagged = rows.filter((row) => wanted.has(row.uid) && !row.flags?.has('\\Flagged'));
    if (unflagged.length === 0) continue;
    const modseqs = unflagged.map((row) => row.modseq).filter((m): m is bigint => typeof m === 'bigint');
    const unchangedSince =
      modseqs.length === unflagged.length ? modseqs.reduce((a, b) => (a > b ? a : b)) : undefined;
    const targets = unflagged.map((row) => row.uid);
    const target = uidSet(targets);
    // imapflow's messageDelete is STORE then, with UIDPLUS (checked above), `UID EXPUNGE <set>`.
    const done = await session.call(`UID STORE ${target} +FLAGS (\\Deleted) / UID EXPUNGE`, (client) =>
      client.messageDelete(target, { uid: true, ...(unchangedSince !== undefined && { unchangedSince }) }),
    );
    if (!done) {
      throw new ContractError('TEMPORARY', `The server refused to delete the archived messages ${target}`, {
        reason: 'temporary',
      });
    }
    deleted.push(...targets);
  }
  return deleted;
}
