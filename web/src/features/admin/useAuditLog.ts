import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { adminApi, adminQueryKeys, type AuditFilters } from './adminApi';

/** The filters as the form holds them: dates are calendar days (YYYY-MM-DD), the rest ids or names. */
export interface AuditFilterValues {
  actorId: string;
  entity: string;
  operation: string;
  fromDate: string;
  toDate: string;
}

const filterNames = ['actorId', 'entity', 'operation', 'fromDate', 'toDate'] as const;

/** Filters live in the address, so a filtered log can be bookmarked or sent to a colleague. */
export function useAuditFilterValues() {
  const [searchParams, setSearchParams] = useSearchParams();
  const values = Object.fromEntries(filterNames.map((name) => [name, searchParams.get(name) ?? ''])) as unknown as AuditFilterValues;
  const setValue = (name: keyof AuditFilterValues, value: string | null) => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  };
  return { values, setValue, reset: () => setSearchParams({}, { replace: true }) };
}

function startOfLocalDay(day: string, addDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  date.setDate(date.getDate() + addDays);
  return date.toISOString();
}

/** The API's filters: `to` is exclusive there, so "to 3 May" means before 4 May starts, in local time. */
export function toAuditFilters(values: AuditFilterValues): AuditFilters {
  return {
    actorId: values.actorId || undefined,
    entity: values.entity || undefined,
    operation: values.operation || undefined,
    from: startOfLocalDay(values.fromDate),
    to: startOfLocalDay(values.toDate, 1),
  };
}

/** One page of the workspace's change log at a time; the cursor trail allows stepping back. */
export function useAuditLog(filters: AuditFilters) {
  const [cursorTrail, setCursorTrail] = useState<(string | undefined)[]>([undefined]);
  const [trailFilters, setTrailFilters] = useState(filters);
  const filtersKey = JSON.stringify(filters);
  // New filters start from the newest entry again; reset during render so a stale cursor is never sent.
  if (JSON.stringify(trailFilters) !== filtersKey) {
    setTrailFilters(filters);
    setCursorTrail([undefined]);
  }
  const cursor = cursorTrail[cursorTrail.length - 1];
  const query = useQuery({
    queryKey: adminQueryKeys.audit(filters, cursor),
    queryFn: ({ signal }) => adminApi.listAudit(filters, cursor, signal),
    placeholderData: keepPreviousData,
  });
  const nextCursor = query.data?.nextCursor ?? null;
  return {
    items: query.data?.items ?? [],
    isPending: query.isPending,
    isFetching: query.isFetching,
    isPlaceholderData: query.isPlaceholderData,
    error: query.error,
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
