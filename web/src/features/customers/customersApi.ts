import { api, type Company, type Contact, type Page } from '../../shared/api';
import type { ListParameters } from '../../shared/list';

export type CompanySort = 'name' | '-name' | 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt' | 'domain' | '-domain';
export type ContactSort = 'name' | '-name' | 'email' | '-email' | 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt';

export type CompanyInput = {
  name: string;
  website: string | null;
  email: string | null;
  phone: string | null;
  industry: string | null;
  city: string | null;
  country: string | null;
  customFields?: Record<string, unknown>;
};

export type ContactInput = {
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  companyId: string | null;
  customFields?: Record<string, unknown>;
};

export const customerQueryKeys = {
  companies: ['companies'] as const,
  company: (id: string) => ['companies', 'detail', id] as const,
  contacts: ['contacts'] as const,
  contact: (id: string) => ['contacts', 'detail', id] as const,
  companyContacts: (companyId: string) => ['contacts', 'byCompany', companyId] as const,
};

function listQuery<Sort extends string>({ q, sort, cursor, limit, extra }: ListParameters<Sort>) {
  return { q, sort, cursor, limit, ...extra };
}

export const companiesApi = {
  list: (parameters: ListParameters<CompanySort>, signal?: AbortSignal) =>
    api.get<Page<Company>>('/companies', listQuery(parameters), signal),
  search: (q: string, signal?: AbortSignal) =>
    api.get<Page<Company>>('/companies', { q, limit: 20, sort: 'name' }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Company>(`/companies/${encodeURIComponent(id)}`, undefined, signal),
  create: (input: Partial<CompanyInput>) => api.post<Company>('/companies', input),
  update: (id: string, input: Partial<CompanyInput>) => api.patch<Company>(`/companies/${encodeURIComponent(id)}`, input),
  remove: (id: string) => api.delete(`/companies/${encodeURIComponent(id)}`),
};

export const contactsApi = {
  list: (parameters: ListParameters<ContactSort>, signal?: AbortSignal) =>
    api.get<Page<Contact>>('/contacts', listQuery(parameters), signal),
  listForCompany: (companyId: string, signal?: AbortSignal) =>
    api.get<Page<Contact>>('/contacts', { 'filter[companyId]': companyId, limit: 50, sort: 'name' }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Contact>(`/contacts/${encodeURIComponent(id)}`, undefined, signal),
  create: (input: Partial<ContactInput>) => api.post<Contact>('/contacts', input),
  update: (id: string, input: Partial<ContactInput>) => api.patch<Contact>(`/contacts/${encodeURIComponent(id)}`, input),
  remove: (id: string) => api.delete(`/contacts/${encodeURIComponent(id)}`),
};
