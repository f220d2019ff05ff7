import { ContractError } from '@mailkeep/contracts';

/**
 * Opaque keyset cursors for list pages: the sort key of the last item, base64url-encoded JSON.
 * Keyset paging stays fast at any depth, unlike OFFSET, and is stable while rows are added.
 */
export interface KeysetCursor {
  /** The sort value of the last item (an ISO time or a lower-cased name). */
  readonly after: string;
  /** The id of the last item: the tie-breaker for equal sort values. */
  readonly id: string;
}

/**
 * A cursor that this API did not hand out. It is a VALIDATION ContractError naming the `cursor`
 * field, so a service can let it propagate and the caller gets a 400.
 */
export class InvalidCursorError extends ContractError {
  constructor() {
    super('VALIDATION', 'The cursor is not one this API returned', {
      fields: [{ field: 'cursor', message: 'cursor is not one this API returned' }],
    });
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.after, cursor.id]), 'utf8').toString('base64url');
}

/**
 * What a list sorts by, so a decoded cursor is checked before it reaches SQL: a forged cursor
 * whose time PostgreSQL cannot read, whose id is not a UUID or whose text holds a NUL byte is a
 * 400 naming `cursor`, never a database error (a 500).
 */
export type CursorSortKey = 'instant' | 'text' | 'integer';

/** ISO-8601 in UTC as `Date.toISOString()` writes it (what every time-sorted list hands out). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Sort texts are lower-cased names and addresses: 1,000 characters is above any of them. */
const MAX_SORT_TEXT = 1_000;

const SORT_KEY_CHECKS: Record<CursorSortKey, (after: string) => boolean> = {
  instant: (after) => ISO_INSTANT.test(after) && !Number.isNaN(Date.parse(after)),
  text: (after) => after.length <= MAX_SORT_TEXT && !after.includes('\u0000'),
  integer: (after) => /^[0-9]{1,18}$/.test(after),
};

export function decodeCursor(text: string, sortKey: CursorSortKey = 'text'): KeysetCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      UUID.test(value[1]) &&
      SORT_KEY_CHECKS[sortKey](value[0])
    ) {
      return { after: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError();
}

/** Limits of a list page: 50 by default keeps responses small; 200 at most bounds one query. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * A page from rows fetched with limit + 1: the extra row only tells that another page exists, so
 * the last page never points at an empty one.
 */
export function keysetPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => KeysetCursor,
): { items: Item[]; nextCursor?: string } {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return {
    items: visible.map(toItem),
    ...(rows.length > limit && last !== undefined && { nextCursor: encodeCursor(keyOf(last)) }),
  };
}
