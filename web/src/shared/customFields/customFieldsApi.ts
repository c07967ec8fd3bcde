// The API of custom fields, tags and saved views, which the customers pages and the
// customization feature both use.
import { api, requestApi } from '../api';

export type CustomFieldObject = 'contact' | 'company';
export const customFieldTypes = [
  'text', 'long_text', 'number', 'money', 'date', 'date_time', 'boolean',
  'single_select', 'multi_select', 'url', 'email', 'phone', 'reference',
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

export interface CustomFieldDefinition {
  id: string;
  object: CustomFieldObject;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  referenceObject: CustomFieldObject | null;
  required: boolean;
  sensitive: boolean;
  position: number;
}

export interface Tag {
  id: string;
  name: string;
  color: string | null;
  usage?: number;
}

export interface SegmentCondition {
  field: string;
  operator: string;
  value?: unknown;
}
export interface SegmentFilter {
  match: 'all' | 'any';
  groups: Array<{ match: 'all' | 'any'; conditions: SegmentCondition[] }>;
}

export interface SavedView {
  id: string;
  object: CustomFieldObject;
  name: string;
  ownerId: string | null;
  shared: boolean;
  columns: string[];
  filter: SegmentFilter | null;
  sort: string | null;
}

export const customizationQueryKeys = {
  customFields: (object?: CustomFieldObject) => ['custom-fields', object ?? 'all'] as const,
  tags: ['tags'] as const,
  views: (object: CustomFieldObject) => ['views', object] as const,
};

export const customFieldsApi = {
  list: (object?: CustomFieldObject, signal?: AbortSignal) =>
    api.get<{ items: CustomFieldDefinition[] }>('/custom-fields', { object }, signal).then((page) => page.items),
  create: (input: Omit<CustomFieldDefinition, 'id'>) => api.post<CustomFieldDefinition>('/custom-fields', input),
  update: (id: string, input: Partial<Pick<CustomFieldDefinition, 'label' | 'options' | 'required' | 'sensitive' | 'position'>>) =>
    api.patch<CustomFieldDefinition>(`/custom-fields/${encodeURIComponent(id)}`, input),
  remove: (id: string) => api.delete(`/custom-fields/${encodeURIComponent(id)}`),
};

export const tagsApi = {
  list: (signal?: AbortSignal) => api.get<{ items: Tag[] }>('/tags', undefined, signal).then((page) => page.items),
  setForRecord: (object: CustomFieldObject, id: string, tags: string[]) =>
    requestApi<{ tags: string[] }>(`/${object === 'contact' ? 'contacts' : 'companies'}/${encodeURIComponent(id)}/tags`, { method: 'PUT', body: { tags } }),
};

export const viewsApi = {
  list: (object: CustomFieldObject, signal?: AbortSignal) =>
    api.get<{ items: SavedView[] }>('/views', { object }, signal).then((page) => page.items),
  create: (input: Omit<SavedView, 'id' | 'ownerId'>) => api.post<SavedView>('/views', input),
  update: (id: string, input: Partial<Omit<SavedView, 'id' | 'ownerId' | 'object'>>) => api.patch<SavedView>(`/views/${encodeURIComponent(id)}`, input),
  remove: (id: string) => api.delete(`/views/${encodeURIComponent(id)}`),
};
