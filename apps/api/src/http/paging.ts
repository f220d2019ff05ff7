import {
  type CursorSortKey,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  type KeysetCursor,
} from '@mailkeep/persistence';

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export function pageSize(limit: number | undefined): number {
  return limit ?? DEFAULT_PAGE_SIZE;
}

/** A cursor from the query, decoded; a foreign one is a 400 naming `cursor` (InvalidCursorError). */
export function parseCursor(
  cursor: string | undefined,
  sortKey: CursorSortKey = 'text',
): KeysetCursor | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, sortKey);
}

/**
 * Builds a page from rows fetched with limit + 1: the extra row only tells that another page
 * exists, so a last page never points to an empty one.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => KeysetCursor,
): Page<Item> {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return {
    items: visible.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
