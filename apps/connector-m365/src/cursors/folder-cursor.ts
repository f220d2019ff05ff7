import type { CursorStore } from '@mailkeep/connector-kit';

/**
 * A folder's sync state in the kit's cursor store (KV `sync-cursors`, key per folder id):
 *
 * - `link`: where the next pass continues — the folder's `@odata.deltaLink` after a complete
 *   round, or the `@odata.nextLink` of the next page mid-round. Stored whole (all query options
 *   are encoded in its token). It only moves past a page once every message of that page is
 *   settled: durably archived, or recorded as failed (C2, C4).
 * - `failed`: messages whose download or storage failed for a reason of their own. They do not
 *   hold the cursor back; the next pass retries them first (by immutable id) and drops them once
 *   archived or gone. Bounded (MAX_REMEMBERED_FAILURES) so a cursor stays a small KV value.
 * - `undeleted`: archived messages whose delete in source failed; retried first too.
 */
export interface M365FolderCursor {
  readonly version: 1;
  readonly link: string;
  readonly failed: readonly RememberedMessage[];
  readonly undeleted: readonly string[];
}

export interface RememberedMessage {
  /** The immutable id. */
  readonly id: string;
  /** Flagged when last seen: never deleted in source (P10). */
  readonly flagged: boolean;
}

/**
 * Messages remembered per folder for a retry. A thousand ids (~150 bytes each) keep the cursor
 * far below NATS KV's default value limit; past it the oldest are dropped with a warning (they
 * stay in the task's failure report).
 */
export const MAX_REMEMBERED_FAILURES = 1000;

export type M365CursorStore = CursorStore<M365FolderCursor>;

export interface FolderCursorKey {
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly folderId: string;
}

/** A folder cursor with its KV revision, saved with optimistic concurrency. */
export class FolderCursor {
  private constructor(
    private readonly store: M365CursorStore,
    private readonly key: FolderCursorKey,
    private revision: number | undefined,
    private value: M365FolderCursor,
  ) {}

  static async load(
    store: M365CursorStore,
    key: FolderCursorKey,
    initialLink: string,
  ): Promise<FolderCursor> {
    const stored = await store.get(key.tenantId, key.mailboxId, storeKey(key.folderId));
    const value =
      stored?.value.version === 1
        ? stored.value
        : { version: 1 as const, link: initialLink, failed: [], undeleted: [] };
    return new FolderCursor(store, key, stored?.revision, value);
  }

  get state(): M365FolderCursor {
    return this.value;
  }

  /** Whether the folder has been read completely at least once (its link is a deltaLink). */
  get started(): boolean {
    return this.revision !== undefined;
  }

  /** Saves a new state; returns the messages dropped from `failed` to respect the bound. */
  async save(next: Omit<M365FolderCursor, 'version'>): Promise<RememberedMessage[]> {
    const overflow = Math.max(0, next.failed.length - MAX_REMEMBERED_FAILURES);
    const value: M365FolderCursor = {
      version: 1,
      link: next.link,
      failed: next.failed.slice(overflow),
      undeleted: next.undeleted.slice(Math.max(0, next.undeleted.length - MAX_REMEMBERED_FAILURES)),
    };
    this.revision = await this.store.put(
      this.key.tenantId,
      this.key.mailboxId,
      storeKey(this.key.folderId),
      value,
      this.revision,
    );
    this.value = value;
    return next.failed.slice(0, overflow);
  }
}

/** Folder ids are stable across renames, unlike paths: the cursor follows the folder. */
const storeKey = (folderId: string): string => `id:${folderId}`;
