import type { CursorStore } from '@mailkeep/connector-kit';

/**
 * A Gmail mailbox's sync state in the kit's cursor store (KV `sync-cursors`, one key per mailbox:
 * Gmail's history is per mailbox, not per label):
 *
 * - `historyId`: where the next `history.list` starts; set when a full listing completes (to the
 *   profile's historyId read *before* it started, so nothing delivered meanwhile is missed) and
 *   moved to the response's historyId after each incremental pass.
 * - `listing`: a full listing in progress: the history id read before it and the page token of
 *   the next page, so a retried task continues instead of starting over. A page is passed only
 *   once all its messages are settled (C2).
 * - `failed`: messages whose download or storage failed for a reason of their own; retried first
 *   next pass, bounded (MAX_REMEMBERED).
 * - `undeleted`: archived messages whose delete in source failed (each not starred); retried first.
 */
export interface GmailCursor {
  readonly version: 1;
  readonly historyId?: string;
  readonly listing?: { readonly startHistoryId: string; readonly pageToken?: string };
  readonly failed: readonly string[];
  readonly undeleted: readonly string[];
}

/** A thousand 16-character ids keep a cursor far below NATS KV's value limit. */
export const MAX_REMEMBERED = 1000;

export type GmailCursorStore = CursorStore<GmailCursor>;

const KEY = 'gmail';

export class MailboxCursor {
  private constructor(
    private readonly store: GmailCursorStore,
    private readonly tenantId: string,
    private readonly mailboxId: string,
    private revision: number | undefined,
    private value: GmailCursor,
  ) {}

  static async load(store: GmailCursorStore, tenantId: string, mailboxId: string): Promise<MailboxCursor> {
    const stored = await store.get(tenantId, mailboxId, KEY);
    const value: GmailCursor =
      stored?.value.version === 1 ? stored.value : { version: 1, failed: [], undeleted: [] };
    return new MailboxCursor(store, tenantId, mailboxId, stored?.revision, value);
  }

  get state(): GmailCursor {
    return this.value;
  }

  /** Saves a new state (optimistic concurrency on the KV revision); returns how many failures were dropped. */
  async save(next: Omit<GmailCursor, 'version'>): Promise<number> {
    const dropped = Math.max(0, next.failed.length - MAX_REMEMBERED);
    const value: GmailCursor = {
      version: 1,
      ...(next.historyId !== undefined && { historyId: next.historyId }),
      ...(next.listing !== undefined && { listing: next.listing }),
      failed: next.failed.slice(dropped),
      undeleted: next.undeleted.slice(Math.max(0, next.undeleted.length - MAX_REMEMBERED)),
    };
    this.revision = await this.store.put(this.tenantId, this.mailboxId, KEY, value, this.revision);
    this.value = value;
    return dropped;
  }
}
