import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { SEARCH_DEBOUNCE_MS } from '../app/Layout';

export interface Option {
  readonly value: string;
  readonly label: string;
  readonly disabled?: boolean;
}

/**
 * A select over a list the API searches (mailboxes, secrets, profiles …): a tenant may have tens
 * of thousands, so the options are the first page of the API's search for what is typed, plus
 * the chosen one.
 */
export function RemoteSelect({
  queryKey,
  search,
  getOne,
  value,
  onChange,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> & {
  queryKey: readonly unknown[];
  search: (text: string, signal: AbortSignal) => Promise<Option[]>;
  getOne: (id: string, signal: AbortSignal) => Promise<Option>;
  value: string;
  onChange: (value: string) => void;
}) {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const selected = useQuery({
    queryKey: [...queryKey, 'one', value],
    queryFn: ({ signal }) => getOne(value, signal),
    enabled: value !== '',
  });
  const term = debounced === selected.data?.label ? '' : debounced;
  const options = useQuery({
    queryKey: [...queryKey, 'search', term],
    queryFn: ({ signal }) => search(term, signal),
    placeholderData: keepPreviousData,
  });
  const data = new Map<string, Option>();
  if (selected.data) data.set(selected.data.value, selected.data);
  for (const option of options.data ?? []) data.set(option.value, option);

  return (
    <Select
      {...props}
      searchable
      searchValue={text}
      onSearchChange={setText}
      // The API has searched already; Mantine's own filter would hide ids that match.
      filter={({ options: all }) => all}
      data={[...data.values()]}
      value={value || null}
      onChange={(next) => onChange(next ?? '')}
      nothingFoundMessage={options.isFetching ? 'Searching…' : 'Nothing found'}
    />
  );
}
