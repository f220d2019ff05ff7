import type { CursorStore } from '@mailkeep/connector-kit';

/**
 * A folder's state in the kit's cursor store (KV `sync-cursors`, one key per folder id):
 *
 * - `syncState`: the SyncFolderItems sync state after the last page whose messages are all
 *   settled (durably archived, or recorded as failed: C2, C4); absent until the first page is.
 * - `failed`: messages whose download or storage failed for a reason of their own; the next pass
 *   retries them first (by item id) and drops them once archived or gone. Bounded.
 * - `undeleted`: archived messages whose HardDelete failed; retried first too.
 */
export interface ExchangeFolderCursor {
  readonly version: 1;
  readonly syncState?: string;
  readonly failed: readonly RememberedItem[];
  readonly undeleted: readonly string[];
}

export interface RememberedItem {
  readonly id: string;
  /** Flagged when last seen: never deleted in source (P10). */
  readonly flagged: boolean;
}

/**
 * Items remembered per folder for a retry. EWS item ids are ~150 characters, so a thousand keep
 * the cursor far below NATS KV's default value limit; past it the oldest are dropped with a
 * warning (they stay in the task's failure report).
 */
export const MAX_REMEMBERED = 1000;

export type ExchangeCursorStore = CursorStore<ExchangeFolderCursor>;

export interface FolderCursorKey {
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly folderId: string;
}

/** A folder cursor with its KV revision, saved with optimistic concurrency. */
export class FolderCursor {
  private constructor(
    private readonly store: ExchangeCursorStore,
    private readonly key: FolderCursorKey,
    private revision: number | undefined,
    private value: ExchangeFolderCursor,
  ) {}

  static async load(store: ExchangeCursorStore, key: FolderCursorKey): Promise<FolderCursor> {
    const stored = await store.get(key.tenantId, key.mailboxId, storeKey(key.folderId));
    const value: ExchangeFolderCursor =
      stored?.value.version === 1 ? stored.value : { version: 1, failed: [], undeleted: [] };
    return new FolderCursor(store, key, stored?.revision, value);
  }

  get state(): ExchangeFolderCursor {
    return this.value;
  }

  /** Saves a new state; returns how many remembered items were dropped to respect the bound. */
  async save(next: Omit<ExchangeFolderCursor, 'version'>): Promise<number> {
    const overflow = Math.max(0, next.failed.length - MAX_REMEMBERED);
    const value: ExchangeFolderCursor = {
      version: 1,
      ...(next.syncState !== undefined && { syncState: next.syncState }),
      failed: next.failed.slice(overflow),
      undeleted: next.undeleted.slice(Math.max(0, next.undeleted.length - MAX_REMEMBERED)),
    };
    this.revision = await this.store.put(
      this.key.tenantId,
      this.key.mailboxId,
      storeKey(this.key.folderId),
      value,
      this.revision,
    );
    this.value = value;
    return overflow;
  }
}

/** Folder ids are stable across renames, unlike paths: the cursor follows the folder. */
const storeKey = (folderId: string): string => `id:${folderId}`;
