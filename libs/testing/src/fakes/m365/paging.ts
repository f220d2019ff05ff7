import { opaqueToken } from './ids.js';

/**
 * Server-side paging state behind opaque `$skiptoken`s, and the helpers that turn a list into
 * Graph's `{ @odata.context, value, @odata.nextLink }` pages. Like Graph, the list is fixed when
 * the first page is served, so later pages do not shift when data changes.
 */
export interface PagedList {
  readonly items: readonly Record<string, unknown>[];
  readonly pageSize: number;
  readonly context: string;
  /** Only for message delta: the deltaLink the last page carries instead of a nextLink. */
  readonly finalDeltaLink?: () => string;
  /** Mailbox sync generation the list belongs to; an expired one answers 410. */
  readonly generation?: { readonly current: () => number; readonly value: number };
}

interface Cursor {
  readonly list: PagedList;
  readonly offset: number;
}

export class PageStore {
  private readonly cursors = new Map<string, Cursor>();

  /** The page at `offset` of `list`, with a nextLink (whose base is `linkBase`) when more follow. */
  page(list: PagedList, offset: number, linkBase: string): Record<string, unknown> {
    const end = offset + list.pageSize;
    const page: Record<string, unknown> = { '@odata.context': list.context };
    if (end < list.items.length) {
      const token = opaqueToken();
      this.cursors.set(token, { list, offset: end });
      page['@odata.nextLink'] = `${linkBase}${linkBase.includes('?') ? '&' : '?'}$skiptoken=${token}`;
    } else if (list.finalDeltaLink) {
      page['@odata.deltaLink'] = list.finalDeltaLink();
    }
    page['value'] = list.items.slice(offset, end);
    return page;
  }

  cursor(token: string): Cursor | undefined {
    return this.cursors.get(token);
  }
}

/** `$select=a,b` applied the way Graph does: `@odata.*` annotations and `id` always stay. */
export function applySelect(item: Record<string, unknown>, select: string | null): Record<string, unknown> {
  if (select === null || select.trim() === '') return item;
  const wanted = new Set(select.split(',').map((s) => s.trim()));
  return Object.fromEntries(
    Object.entries(item).filter(([key]) => key.startsWith('@') || key === 'id' || wanted.has(key)),
  );
}

/** `$top`, bounded like Graph: a bad value is a 400, a large one is capped. */
export function pageSizeFrom(top: string | null, fallback: number, max: number): number | undefined {
  if (top === null) return fallback;
  const value = Number(top);
  if (!Number.isInteger(value) || value < 1) return undefined;
  return Math.min(value, max);
}
