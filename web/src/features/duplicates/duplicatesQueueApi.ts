import { api, type Company, type Contact, type Page } from '../../shared/api';
import type { DuplicateReason, Merge, MergeableObject } from '../../shared/duplicates';

export interface DuplicateScan {
  id: string;
  object: MergeableObject;
  status: 'queued' | 'running' | 'completed' | 'failed';
  progress: number;
  pairsFound: number;
  error: string | null;
}

export interface PairRecord {
  id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  detail?: string | null;
}

export interface DuplicatePair {
  id: string;
  object: MergeableObject;
  score: number;
  reasons: DuplicateReason[];
  status: 'open' | 'dismissed' | 'merged';
  records: [PairRecord, PairRecord];
}

export type MergeRecord = Contact | Company;

export const duplicatesQueueApi = {
  list: (object: MergeableObject, status: string, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<Page<DuplicatePair>>('/duplicates', { object, status, cursor, limit: 50 }, signal),
  startScan: (object: MergeableObject) => api.post<DuplicateScan>('/duplicates/scans', { object }),
  getScan: (id: string, signal?: AbortSignal) => api.get<DuplicateScan>(`/duplicates/scans/${encodeURIComponent(id)}`, undefined, signal),
  dismiss: (id: string) => api.post<void>(`/duplicates/${encodeURIComponent(id)}/dismiss`, {}),
  getRecord: (object: MergeableObject, id: string, signal?: AbortSignal) =>
    api.get<MergeRecord>(`/${object === 'contact' ? 'contacts' : 'companies'}/${encodeURIComponent(id)}`, undefined, signal),
  merge: (object: MergeableObject, body: { survivorId: string; mergedIds: string[]; fields: Record<string, string> }) =>
    api.post<{ merge: Merge; survivor: MergeRecord }>(`/${object === 'contact' ? 'contacts' : 'companies'}/merge`, body),
};

/** The fields a merge lets the user choose, in display order. */
export const mergeFields: Record<MergeableObject, string[]> = {
  contact: ['name', 'email', 'phone', 'title', 'companyId', 'ownerId'],
  company: ['name', 'website', 'email', 'phone', 'industry', 'city', 'country', 'ownerId'],
};
