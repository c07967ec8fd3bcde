import { api } from '../../shared/api';
import type { CustomFieldObject, SegmentFilter } from '../../shared/customFields';

export interface Segment {
  id: string;
  object: CustomFieldObject;
  name: string;
  filter: SegmentFilter;
  ownerId: string | null;
  updatedAt: string;
}

export interface CappedCount {
  count: number;
  capped: boolean;
}

export const segmentsApi = {
  list: (signal?: AbortSignal) => api.get<{ items: Segment[] }>('/segments', undefined, signal).then((page) => page.items),
  create: (input: { object: CustomFieldObject; name: string; filter: SegmentFilter }) => api.post<Segment>('/segments', input),
  update: (id: string, input: { name?: string; filter?: SegmentFilter }) => api.patch<Segment>(`/segments/${encodeURIComponent(id)}`, input),
  remove: (id: string) => api.delete(`/segments/${encodeURIComponent(id)}`),
  preview: (object: CustomFieldObject, filter: SegmentFilter) => api.post<CappedCount>('/segments/preview', { object, filter }),
};
