import type { CursorStore, StoredCursor } from '@mailkeep/connector-kit';
import type { Logger } from '@mailkeep/observability';

/**
 * An IMAP folder's sync cursor (SPEC C2), one per tenant, mailbox and folder in the kit's
 * CursorStore. Every message with a UID ≤ lastUid in this UIDVALIDITY has been settled (archived,
 * or failed and reported with the task).
 */
export interface ImapCursor {
  readonly uidValidity: number;
  readonly lastUid: number;
  /** HIGHESTMODSEQ when the folder's last complete pass began (CONDSTORE servers); a decimal string, as it is 63-bit. */
  readonly highestModseq?: string;
  /**
   * A pass after a UIDVALIDITY change has not completed yet: its messages are announced as a
   * rescan (the catalog adds no row for content already archived in the folder). Kept in the
   * cursor so a rescan interrupted by a crash stays one when it resumes.
   */
  readonly rescan?: true;
}

export type ImapCursorStore = CursorStore<ImapCursor>;

/** Why a folder pass starts from the beginning. */
export type CursorStart = 'continue' | 'first-pass' | 'uidvalidity-changed' | 'unreadable-cursor';

/** Reads a stored value as a cursor; anything else (hand-edited, another version) is undefined. */
export function parseCursor(value: unknown): ImapCursor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { uidValidity, lastUid, highestModseq, rescan } = value as Record<string, unknown>;
  if (!isUint32(uidValidity) || uidValidity === 0 || !isUint32(lastUid)) return undefined;
  if (
    highestModseq !== undefined &&
    (typeof highestModseq !== 'string' || !/^\d{1,20}$/.test(highestModseq))
  ) {
    return undefined;
  }
  if (rescan !== undefined && rescan !== true) return undefined;
  return {
    uidValidity,
    lastUid,
    ...(highestModseq !== undefined && { highestModseq }),
    ...(rescan === true && { rescan }),
  };
}

function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

/**
 * A folder's cursor during one pass: loaded against the folder's current UIDVALIDITY and saved
 * with the revision last read or written, so a concurrent writer is noticed (CONFLICT) rather than
 * overwritten. Saves never move lastUid back within a UIDVALIDITY.
 */
export class FolderCursor {
  private constructor(
    private readonly store: ImapCursorStore,
    private readonly key: { tenantId: string; mailboxId: string; folder: string },
    readonly uidValidity: number,
    private saved: ImapCursor | undefined,
    private revision: number | undefined,
    /** Where this pass starts, and why. */
    readonly start: CursorStart,
  ) {}

  /** The folder's cursor as read from the store (the task reads every folder's cursor at once). */
  static fromStored(
    store: ImapCursorStore,
    key: { tenantId: string; mailboxId: string; folder: string },
    uidValidity: number,
    stored: StoredCursor<ImapCursor> | undefined,
    logger: Logger,
  ): FolderCursor {
    if (!stored) return new FolderCursor(store, key, uidValidity, undefined, undefined, 'first-pass');
    const cursor = parseCursor(stored.value);
    if (!cursor) {
      // Rescanning is safe (the blob store and the catalog de-duplicate); refusing would stop
      // the mailbox until someone repairs the key by hand.
      logger.warn('unreadable IMAP cursor; the folder is scanned from the start', {
        folder: key.folder,
        stored: stored.value,
      });
      return new FolderCursor(store, key, uidValidity, undefined, stored.revision, 'unreadable-cursor');
    }
    if (cursor.uidValidity !== uidValidity) {
      logger.info('UIDVALIDITY changed; the folder is scanned from the start', {
        folder: key.folder,
        previous: cursor.uidValidity,
        current: uidValidity,
      });
      return new FolderCursor(store, key, uidValidity, undefined, stored.revision, 'uidvalidity-changed');
    }
    return new FolderCursor(store, key, uidValidity, cursor, stored.revision, 'continue');
  }

  /** The highest UID settled in this UIDVALIDITY (0: none). */
  get lastUid(): number {
    return this.saved?.lastUid ?? 0;
  }

  get highestModseq(): string | undefined {
    return this.saved?.highestModseq;
  }

  /** This pass (or the interrupted one it resumes) archives the folder again after UIDVALIDITY changed. */
  get rescanning(): boolean {
    return this.start === 'uidvalidity-changed' || this.saved?.rescan === true;
  }

  /**
   * Saves `lastUid` (a CursorTracker's safe position) when it moves the cursor on, or when a
   * complete pass brings a new `highestModseq`, or when the stored value belongs to an old
   * UIDVALIDITY. Returns whether it wrote.
   */
  async save(
    lastUid: number,
    highestModseq?: string,
    options: { complete?: boolean } = {},
  ): Promise<boolean> {
    const rescan = this.rescanning && options.complete !== true;
    const next: ImapCursor = {
      uidValidity: this.uidValidity,
      lastUid: Math.max(lastUid, this.lastUid),
      ...((highestModseq ?? this.saved?.highestModseq) !== undefined && {
        highestModseq: highestModseq ?? this.saved?.highestModseq,
      }),
      ...(rescan && { rescan: true as const }),
    };
    const saved = this.saved;
    if (
      saved &&
      saved.lastUid === next.lastUid &&
      saved.highestModseq === next.highestModseq &&
      saved.rescan === next.rescan
    ) {
      return false;
    }
    this.revision = await this.store.put(
      this.key.tenantId,
      this.key.mailboxId,
      this.key.folder,
      next,
      this.revision,
    );
    this.saved = next;
    return true;
  }
}
