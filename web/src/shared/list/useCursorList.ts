import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Page } from '../api';

export const pageSize = 50;
const searchDelayMilliseconds = 250;

export interface ListParameters<Sort extends string> {
  q: string;
  sort: Sort;
  cursor: string | undefined;
  limit: number;
  /** More query parameters (filter[tag], view, segment...); a change starts from the first page. */
  extra?: Record<string, string | undefined>;
}

interface CursorListOptions<Item, Sort extends string> {
  queryKey: readonly unknown[];
  defaultSort: Sort;
  fetchPage: (parameters: ListParameters<Sort>, signal: AbortSignal) => Promise<Page<Item>>;
  extra?: Record<string, string | undefined>;
}

/**
 * Search, sort and cursor paging for a server-side list. Only one page (≤ 50 rows) is ever held
 * for rendering, and the previous page stays on screen while the next one loads so the table
 * does not flash empty between keystrokes.
 */
export function useCursorList<Item, Sort extends string>({ queryKey, defaultSort, fetchPage, extra }: CursorListOptions<Item, Sort>) {
  const [search, setSearchText] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), searchDelayMilliseconds);
  const [sort, setSortState] = useState<Sort>(defaultSort);
  // Cursors of the pages visited so far; the last one is the current page (undefined = first).
  const [cursorTrail, setCursorTrail] = useState<(string | undefined)[]>([undefined]);
  const [trailSearch, setTrailSearch] = useState(debouncedSearch);
  const extraKey = JSON.stringify(extra ?? {});
  const [trailExtra, setTrailExtra] = useState(extraKey);

  // A new search starts again from the first page, reset during render rather than in an
  // effect so the stale cursor is never sent with the new query.
  if (trailSearch !== debouncedSearch) {
    setTrailSearch(debouncedSearch);
    setCursorTrail([undefined]);
  }
  if (trailExtra !== extraKey) {
    setTrailExtra(extraKey);
    setCursorTrail([undefined]);
  }

  const cursor = cursorTrail[cursorTrail.length - 1];
  const parameters: ListParameters<Sort> = { q: debouncedSearch, sort, cursor, limit: pageSize, ...(extra ? { extra } : {}) };
  const query = useQuery({
    queryKey: [...queryKey, parameters],
    queryFn: ({ signal }) => fetchPage(parameters, signal),
    placeholderData: keepPreviousData,
  });
  const nextCursor = query.data?.nextCursor ?? null;

  return {
    items: query.data?.items ?? [],
    isPending: query.isPending,
    isFetching: query.isFetching,
    isPlaceholderData: query.isPlaceholderData,
    error: query.error,
    search,
    setSearch: setSearchText,
    sort,
    setSort: (next: Sort) => {
      setSortState(next);
      setCursorTrail([undefined]);
    },
    toggleSort: (field: string) => {
      const ascending = field as Sort;
      const descending = `-${field}` as Sort;
      setSortState(sort === ascending ? descending : ascending);
      setCursorTrail([undefined]);
    },
    pageNumber: cursorTrail.length,
    hasNextPage: nextCursor !== null && !query.isPlaceholderData,
    hasPreviousPage: cursorTrail.length > 1,
    goToNextPage: () => {
      if (nextCursor) setCursorTrail((trail) => [...trail, nextCursor]);
    },
    goToPreviousPage: () => setCursorTrail((trail) => (trail.length > 1 ? trail.slice(0, -1) : trail)),
    goToFirstPage: () => setCursorTrail([undefined]),
  };
}

export type CursorList = ReturnType<typeof useCursorList>;
