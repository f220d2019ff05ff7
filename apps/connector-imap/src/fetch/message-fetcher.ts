import type { Readable } from 'node:stream';

import type { ImapSession } from '../protocol/imap-client.js';
import type { ListedMessage } from './fetch-plan.js';
import { uidSet } from './uid-set.js';

/**
 * Bytes per partial fetch of a streamed message (`BODY.PEEK[]<offset.size>`), one round trip
 * each. Downloading 42 MB of 1–10 MB messages over TLS here took, in a fresh process, 12.7 ms of
 * CPU per MB with 256 KiB chunks, 10.1 with 1 MiB and 6.4 with 4 MiB; once warm, about 6 whatever
 * the chunk (imapflow's parsing per byte, not per chunk). The worker's peak RSS archiving a 150 MB
 * message grew by 5 MiB with 1 MiB chunks but by 32–49 MiB with 4 MiB (bench/worker-memory.ts):
 * 1 MiB is the cheaper choice within SPEC §6's memory bound.
 */
export const STREAM_CHUNK_BYTES = 1024 * 1024;

/** A listed message with what the delete rule needs. */
export interface ListedMessageWithFlags extends ListedMessage {
  readonly flagged: boolean;
}

/**
 * Lists the messages with UIDs in `from:to` (sizes and flags, no bodies) in one command. The
 * async iterator is run to its end before anything else is sent: an IMAP command issued inside
 * imapflow's fetch loop would wait for that loop for ever.
 */
export async function listMessages(
  session: ImapSession,
  from: number,
  to: number | '*',
): Promise<ListedMessageWithFlags[]> {
  const rows = await session.call(`UID FETCH ${from}:${to} (RFC822.SIZE FLAGS)`, (client) =>
    client.fetchAll(`${from}:${to}`, { uid: true, size: true, flags: true }, { uid: true }),
  );
  return (
    rows
      // `n:*` always includes the highest message, even below n (RFC 9051 §6.4.8).
      .filter((row) => row.uid >= from && (to === '*' || row.uid <= to))
      .map((row) => ({ uid: row.uid, size: row.size, flagged: row.flags?.has('\\Flagged') ?? false }))
      .sort((a, b) => a.uid - b.uid)
  );
}

/**
 * Fetches a range of small messages whole with one pipelined `UID FETCH <set> BODY.PEEK[]`
 * (PEEK: `\Seen` is not set, C7). Messages missing from the answer were expunged meanwhile.
 */
export async function fetchRange(
  session: ImapSession,
  uids: readonly number[],
): Promise<Map<number, Buffer>> {
  const set = uidSet(uids);
  const rows = await session.call(`UID FETCH ${set} BODY.PEEK[]`, (client) =>
    client.fetchAll(set, { uid: true, source: true }, { uid: true }),
  );
  const sources = new Map<number, Buffer>();
  for (const row of rows) if (row.source) sources.set(row.uid, row.source);
  return sources;
}

/**
 * Opens one message as a stream of partial fetches (`UID FETCH n BODY.PEEK[]<offset.size>`),
 * each asked for only when the consumer has taken the previous one: memory stays at about one
 * chunk whatever the message's size (C3). Undefined when the message was expunged meanwhile.
 */
export async function streamMessage(session: ImapSession, uid: number): Promise<Readable | undefined> {
  const download = await session.call(`UID FETCH ${uid} BODY.PEEK[] (streamed)`, (client) =>
    client.download(String(uid), undefined, { uid: true, chunkSize: STREAM_CHUNK_BYTES }),
  );
  return download.content;
}
