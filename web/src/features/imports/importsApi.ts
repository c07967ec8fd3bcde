import { api, uploadApi } from '../../shared/api';

export type ImportObjectName = 'contacts' | 'companies';
export type ImportMode = 'create' | 'upsert_email' | 'upsert_external_id';
export type Mapping = Record<string, string>;

export interface ImportPreview {
  headers: string[];
  rows: string[][];
  delimiter: string;
  suggestedMapping: Mapping;
  customFields: string[];
}

export interface DataImport {
  id: string;
  object: 'contact' | 'company';
  status: 'queued' | 'running' | 'completed' | 'failed' | 'undoing' | 'undone';
  dryRun: boolean;
  fileName: string;
  progress: { rowsRead: number; rowsTotal: number | null; created: number; updated: number; skipped: number; rejected: number; bytesRead: number; bytesTotal: number };
  error: { code: string; message: string } | null;
}

export interface ImportTemplate {
  id: string;
  name: string;
  object: 'contact' | 'company';
  mapping: Mapping;
}

export const importFields: Record<ImportObjectName, string[]> = {
  contacts: ['name', 'email', 'phone', 'title', 'companyName', 'ownerId', 'externalId'],
  companies: ['name', 'website', 'email', 'phone', 'industry', 'city', 'country', 'ownerId', 'externalId'],
};

// The preview needs the header and a few rows: the first 256 KB of the file are enough.
const previewBytes = 256 * 1024;

export const importsApi = {
  preview: (object: ImportObjectName, file: File) => uploadApi<ImportPreview>('/imports/preview', file.slice(0, previewBytes), { object }),
  start: (object: ImportObjectName, file: File, options: { mode: ImportMode; dryRun: boolean; mapping: Mapping }) =>
    uploadApi<DataImport>('/imports', file, { object, mode: options.mode, dryRun: String(options.dryRun), mapping: JSON.stringify(options.mapping), fileName: file.name }),
  get: (id: string) => api.get<DataImport>(`/imports/${id}`),
  templates: () => api.get<{ items: ImportTemplate[] }>('/import-templates'),
  saveTemplate: (name: string, object: ImportObjectName, mapping: Mapping) => api.post<ImportTemplate>('/import-templates', { name, object, mapping }),
  errorsUrl: (id: string) => `/api/v1/imports/${id}/errors`,
};
