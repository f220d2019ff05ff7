import { ContractError } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

/** The KV bucket holding every connector's sync cursors (one key per tenant, mailbox and folder). */
export const SYNC_CURSORS_BUCKET = 'sync-cursors';

/**
 * Revisions kept per key. Five lets an operator see how a cursor moved over the last runs (and go
 * back by hand after a bad release) at a negligible cost: cursors are a few hundred bytes.
 */
export const SYNC_CURSORS_HISTORY = 5;

type KeyValue = Awaited<ReturnType<MessageBus['keyValue']>>;

export interface StoredCursor<T> {
  readonly value: T;
  /** Pass back to `put` so a concurrent writer's update is not overwritten. */
  readonly revision: number;
}

/**
 * The KV key of a cursor. KV keys allow only `[-/_=.A-Za-z0-9]`, and folder names hold anything
 * (spaces, `&`, non-ASCII, dots that would split tokens), so the folder is base64url-encoded; the
 * `f` prefix keeps the token non-empty for protocols without folders (POP3 passes '').
 */
export function cursorKey(tenantId: string, mailboxId: string, folder: string): string {
  return `${tenantId}.${mailboxId}.f${Buffer.from(folder, 'utf8').toString('base64url')}`;
}

/**
 * Sync cursors (SPEC C2) in JetStream KV with optimistic concurrency: a write names the revision
 * it read, and a stale write is refused with CONFLICT instead of moving a cursor back.
 */
export class CursorStore<T> {
  private constructor(private readonly kv: KeyValue) {}

  static async open<T>(bus: MessageBus, bucket = SYNC_CURSORS_BUCKET): Promise<CursorStore<T>> {
    return new CursorStore<T>(await bus.keyValue(bucket, { history: SYNC_CURSORS_HISTORY }));
  }

  async get(tenantId: string, mailboxId: string, folder: string): Promise<StoredCursor<T> | undefined> {
    const entry = await this.kv.get(cursorKey(tenantId, mailboxId, folder));
    if (!entry || entry.operation !== 'PUT') return undefined;
    return { value: entry.json<T>(), revision: entry.revision };
  }

  /**
   * Writes a cursor. `revision` is the one read by `get`, or undefined when there was none. Throws
   * ContractError CONFLICT when someone else wrote in between. Returns the new revision.
   */
  async put(
    tenantId: string,
    mailboxId: string,
    folder: string,
    value: T,
    revision: number | undefined,
  ): Promise<number> {
    const key = cursorKey(tenantId, mailboxId, folder);
    const data = JSON.stringify(value);
    try {
      return revision === undefined
        ? await this.kv.create(key, data)
        : await this.kv.update(key, data, revision);
    } catch (error) {
      if (isStale(error)) {
        throw new ContractError(
          'CONFLICT',
          `The cursor of folder "${folder}" was changed by another writer`,
          {
            reason: 'stale_cursor',
          },
        );
      }
      throw error;
    }
  }

  async delete(tenantId: string, mailboxId: string, folder: string): Promise<void> {
    await this.kv.delete(cursorKey(tenantId, mailboxId, folder));
  }
}

function isStale(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
