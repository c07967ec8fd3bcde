import { api } from '../api';

export type MergeableObject = 'contact' | 'company';
export type DuplicateReason = 'email' | 'phone' | 'domain' | 'name';

export interface DuplicateCandidate {
  id: string;
  name: string;
  score: number;
  reasons: DuplicateReason[];
}

/** What a create or update answers besides the record when likely duplicates exist. */
export interface DuplicateWarnings {
  duplicates: DuplicateCandidate[];
}

export interface Merge {
  id: string;
  object: MergeableObject;
  survivorId: string;
  mergedIds: string[];
  actorId: string | null;
  hooks: Array<{ name: string; moved: number }>;
  createdAt: string;
  undoneAt: string | null;
}

export const mergesApi = {
  listForRecord: (recordId: string, signal?: AbortSignal) => api.get<{ items: Merge[] }>('/merges', { recordId }, signal),
  undo: (id: string) => api.post<Merge>(`/merges/${encodeURIComponent(id)}/undo`, {}),
};

export const mergesQueryKey = (recordId: string) => ['merges', recordId] as const;

/** The page of the duplicates feature that merges `mergedIds` into `survivorId`. */
export function mergePath(object: MergeableObject, survivorId: string, mergedIds: string[]): string {
  return `/duplicates/merge?${new URLSearchParams({ object, survivorId, mergedIds: mergedIds.join(',') }).toString()}`;
}
