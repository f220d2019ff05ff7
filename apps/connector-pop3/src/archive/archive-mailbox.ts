import { Readable } from 'node:stream';

import {
  type ArchiveTarget,
  type ConnectorTools,
  MessageWindow,
  TaskAbortedError,
  type TaskContext,
} from '@mailkeep/connector-kit';
import type { ProfileOfType } from '@mailkeep/contracts';

import type { Pop3Client, UidlEntry } from '../protocol/pop3-client.js';
import { Pop3ResponseError, toContractError } from '../protocol/parse-pop3-error.js';
import { pop3Login, pop3Settings } from '../protocol/pop3-settings.js';
import { connectPop3 } from '../protocol/pop3-transport.js';
import { ArchivedUidls, POP3_FOLDER } from './archived-uidls.js';

export interface Pop3ArchiveOptions {
  /** Extra trusted CA certificates (PEM); deployments use NODE_EXTRA_CA_CERTS instead. */
  readonly ca?: string;
  /**
   * Runs after the DELE commands, right before QUIT. Tests drop the connection here to show that
   * nothing is deleted without QUIT.
   */
  readonly beforeQuit?: (client: Pop3Client) => void | Promise<void>;
}

/** The archive identity of a POP3 message: its unique id, stable across sessions (RFC 1939 §7). */
export function pop3SourceIdentity(uidl: string): string {
  return `pop3:${uidl}`;
}

/**
 * Archives one POP3 mailbox in one session:
 * 1. connect (TLS or STLS), CAPA, log in (SASL PLAIN, or USER/PASS);
 * 2. UIDL; the cursor keeps the archived ids still listed (pruning the rest);
 * 3. RETR every message not in it, in listing order, streamed into `context.archive`; the next
 *    RETR goes out once the previous response is read, with up to `messagesInFlight` in flight;
 *    the cursor is checkpointed as messages are archived, and saved at the end in any case;
 * 4. with deleteInSource, and only if every message of this session was archived: DELE every
 *    listed message that is archived (now or in an earlier session);
 * 5. QUIT, which commits the deletions. A connection lost before QUIT deletes nothing.
 */
export async function archivePop3Mailbox(
  context: TaskContext,
  target: ArchiveTarget<ProfileOfType<'pop3'>>,
  tools: ConnectorTools,
  options: Pop3ArchiveOptions = {},
): Promise<void> {
  const { profile, mailbox, credentials } = target;
  const logger = context.logger;
  const settings = pop3Settings(profile);
  const login = pop3Login(profile.mode, credentials, mailbox);
  let client: Pop3Client | undefined;
  try {
    const session = await connectPop3(settings, {
      egress: tools.egress,
      ...(options.ca !== undefined && { ca: options.ca }),
    });
    client = session.client;
    await client.login(login, session.capabilities);
    const listing = await client.uidl();
    context.working();
    const archived = await ArchivedUidls.load(
      tools.bus,
      { tenantId: context.task.tenantId, mailboxId: context.task.mailboxId },
      new Set(listing.map((entry) => entry.uidl)),
    );
    const pending = listing.filter((entry) => !archived.has(entry.uidl));
    logger.info('POP3 maildrop listed', {
      messages: listing.length,
      alreadyArchived: listing.length - pending.length,
      toArchive: pending.length,
    });

    let failed = 0;
    // Up to `messagesInFlight` messages at once: the next RETR goes out as soon as the previous
    // response is read to its end, while that message's fsync and event are still under way.
    const window = new MessageWindow(context.messagesInFlight);
    let connectionFree: Promise<void> = Promise.resolve();
    try {
      for (const entry of pending) {
        if (context.signal.aborted) throw abortReason(context.signal);
        await connectionFree;
        await archived.checkpoint();
        let release!: () => void;
        connectionFree = new Promise<void>((resolve) => (release = resolve));
        await window.add(async () => {
          try {
            if (await archiveOne(session.client, entry, context, release)) archived.add(entry.uidl);
            else failed++;
          } finally {
            release();
          }
        });
      }
    } finally {
      // Whatever ended the loop, the messages in flight settle and what was archived is recorded
      // (C2, C4); a failing save while another error is on its way must not hide that error.
      await window.settle();
      await archived.save().catch((error: unknown) => {
        logger.warn('POP3 cursor not saved', { error });
      });
    }
    await window.drain(); // rethrows the first message that threw (lost connection, cancellation)
    await archived.save(); // surfaces a save failure when the loop itself succeeded

    let marked = 0;
    if (profile.deleteInSource) {
      if (failed > 0) {
        // Deleting only some messages would be safe too, but a failure (storage down, say) usually
        // hits the next ones as well; keeping the whole maildrop until a clean session is simpler
        // to reason about and costs nothing but a later deletion.
        logger.warn('not deleting in source: messages of this session were not archived', { failed });
      } else {
        for (const entry of listing) {
          if (!archived.has(entry.uidl)) continue;
          await client.dele(entry.number);
          marked++;
        }
      }
    }
    await options.beforeQuit?.(client);
    await client.quit();
    logger.info('POP3 session ended', {
      archived: pending.length - failed,
      failed,
      deleted: marked,
      cursorSize: archived.size,
    });
  } catch (error) {
    client?.close(); // no QUIT: nothing marked for deletion is deleted
    throw toContractError(error);
  }
}

/**
 * RETR one message into the archive. Returns whether it was archived; a message the server refuses
 * (`-ERR`) is recorded as that message's failure (C4). Throws when the session itself broke, or
 * when the task is being stopped (TaskAbortedError from `context.archive`).
 */
async function archiveOne(
  client: Pop3Client,
  entry: UidlEntry,
  context: TaskContext,
  connectionFree: () => void,
): Promise<boolean> {
  const sourceIdentity = pop3SourceIdentity(entry.uidl);
  let response;
  try {
    response = await client.retr(entry.number);
  } catch (error) {
    if (!(error instanceof Pop3ResponseError)) throw error;
    const refused = toContractError(error) as Error;
    const source = new Readable({
      read() {
        this.destroy(refused);
      },
    });
    return (await context.archive({ sourceIdentity, folder: POP3_FOLDER, source })).ok;
  }
  // The response is read to its end even when storage gave up on it, so the session goes on; from
  // then on the connection can serve the next RETR.
  const read = response.complete.then(connectionFree);
  read.catch(() => undefined); // awaited below, unless archive throws first (cancellation)
  const result = await context.archive({ sourceIdentity, folder: POP3_FOLDER, source: response.body });
  await read;
  return result.ok;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof TaskAbortedError ? reason : new TaskAbortedError('shutdown');
}
