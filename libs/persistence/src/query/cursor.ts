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

export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not one this API returned');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.after, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): KeysetCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
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
