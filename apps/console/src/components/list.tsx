import { TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type InfiniteData, keepPreviousData, type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router';

import { SEARCH_DEBOUNCE_MS } from '../app/Layout';
import { IconSearch } from './icons';
import { EmptyState, ErrorAlert, Loading, ShowMore } from './page';

/** A page of a list; "Show more" loads the next. */
export const LIST_PAGE_SIZE = 50;

/** One page of a keyset-paged API list. */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | null;
}

/**
 * A list's search text, kept in the URL (`?search=`) so that a reload, a shared link or the back
 * button shows the same list. `text` follows the input; `query` is the trimmed text once typing
 * pauses, the value the list is fetched with.
 */
export function useSearchParam(): { text: string; setText: (value: string) => void; query: string } {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('search') ?? '');
  const [query] = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const changeText = (value: string) => {
    setText(value);
    // Other parameters of the page (filters) stay; typing replaces the history entry, not adds one.
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value.trim()) next.set('search', value);
        else next.delete('search');
        return next;
      },
      { replace: true },
    );
  };
  return { text, setText: changeText, query };
}

/**
 * A keyset-paged list query: `fetchPage` gets the cursor of the page to load (none for the first);
 * the previous items stay on screen while a new search loads. `items` are all pages loaded so far.
 */
export function usePagedList<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<ListPage<T>>,
  options: {
    /** Reads the list again after this many ms while the loaded items call for it (live states). */
    refetchInterval?: (items: readonly T[]) => number | false;
  } = {},
) {
  const { refetchInterval } = options;
  const list = useInfiniteQuery<ListPage<T>, Error, InfiniteData<ListPage<T>, string>, QueryKey, string>({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam || undefined, signal),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    ...(refetchInterval && {
      refetchInterval: (query) =>
        refetchInterval(query.state.data?.pages.flatMap((page) => page.items) ?? []),
    }),
  });
  return { list, items: list.data?.pages.flatMap((page) => page.items) ?? [] };
}

/** The search box above a list. */
export function SearchBox({
  value,
  onChange,
  placeholder = 'Search by name or ID',
  description,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  description?: string;
}) {
  return (
    <TextInput
      role="searchbox"
      aria-label="Search"
      placeholder={placeholder}
      description={description}
      leftSection={<IconSearch />}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      maw={460}
      mb="md"
    />
  );
}

/**
 * The states of a paged list in one place: loading, an error with a retry, the empty text, or the
 * table (`children`) with "Show more" under it.
 */
export function ListView<T>({
  list,
  items,
  loadingLabel,
  empty,
  errorShownElsewhere = false,
  children,
}: {
  list: ReturnType<typeof usePagedList<T>>['list'];
  items: readonly T[];
  loadingLabel?: string;
  /** What to say when there is nothing: usually one text for a search, another for none at all. */
  empty: ReactNode;
  /** The page shows the error itself (a search form marks the fields the API refused). */
  errorShownElsewhere?: boolean;
  children: ReactNode;
}) {
  if (list.isPending) return <Loading label={loadingLabel} />;
  if (list.isError && !errorShownElsewhere)
    return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  if (items.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <>
      {children}
      <ShowMore list={list} />
    </>
  );
}
