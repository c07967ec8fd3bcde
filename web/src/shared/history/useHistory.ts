import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type AuditEntity, type AuditEntry, type Page } from '../api';

export function historyQueryKey(entity: AuditEntity, id: string) {
  return ['audit', entity, id] as const;
}

/** The change log of one record, newest first, loaded a page at a time. */
export function useHistory(entity: AuditEntity, id: string) {
  return useInfiniteQuery({
    queryKey: historyQueryKey(entity, id),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEntry>>('/audit', { entity, id, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}
