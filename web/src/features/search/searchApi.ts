import { api } from '../../shared/api';

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  matchedOn: string;
  score: number;
}

export const searchApi = {
  search: (q: string, signal?: AbortSignal) => api.get<{ items: SearchHit[] }>('/search', { q, limit: 20 }, signal),
};

/** Where a hit opens; types without a page yet are not linked. */
export function pathOf(hit: SearchHit): string | null {
  if (hit.type === 'contact') return `/contacts/${hit.id}`;
  if (hit.type === 'company') return `/companies/${hit.id}`;
  return null;
}
